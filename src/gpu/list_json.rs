//! Every OpenCL device as a JSON object (the body of `lapack_ai_devices_json`):
//! `{"selector": "pocl", "selected": 0, "error": null, "devices": [{"index": 0,
//! "platform": "Portable Computing Language", "name": "cpu-haswell-...", "is_gpu": false,
//! ...}]}`. `selector` is `LAPACK_AI_DEVICE`; `selected` the index of the device the
//! library would open (null when none); `error` why there is no device list or no
//! selected device.

use super::runtime::{self, DeviceInfo};
use crate::telemetry::json::string;

fn device(out: &mut String, d: &DeviceInfo) {
    out.push_str(&format!("{{\"index\":{},\"platform\":", d.index));
    string(out, &d.platform);
    out.push_str(",\"platform_vendor\":");
    string(out, &d.platform_vendor);
    out.push_str(",\"name\":");
    string(out, &d.name);
    out.push_str(",\"vendor\":");
    string(out, &d.vendor);
    out.push_str(",\"driver\":");
    string(out, &d.driver);
    out.push_str(&format!(
        ",\"is_gpu\":{},\"compute_units\":{},\"clock_mhz\":{},\"global_mem_size\":{},\
         \"local_mem_size\":{},\"max_work_group_size\":{},\"fp64\":{}}}",
        d.is_gpu,
        d.compute_units,
        d.clock_mhz,
        d.global_mem_size,
        d.local_mem_size,
        d.max_work_group_size,
        d.fp64
    ));
}

/// The JSON object described in the module documentation.
pub fn devices_json() -> String {
    let selector = crate::config::get().device.as_deref();
    let mut out = String::from("{\"selector\":");
    match selector {
        Some(s) => string(&mut out, s),
        None => out.push_str("null"),
    }
    let (devices, error) = match runtime::list() {
        Ok(all) => (all.into_iter().map(|(d, _)| d).collect(), None),
        Err(e) => (Vec::new(), Some(e)),
    };
    let selected = match error {
        Some(e) => Err(e),
        None => runtime::select(selector).map(|(d, _)| d.index),
    };
    out.push_str(",\"selected\":");
    match &selected {
        Ok(i) => out.push_str(&i.to_string()),
        Err(_) => out.push_str("null"),
    }
    out.push_str(",\"error\":");
    match &selected {
        Ok(_) => out.push_str("null"),
        Err(e) => string(&mut out, &e.0),
    }
    out.push_str(",\"devices\":[");
    for (i, d) in devices.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        device(&mut out, d);
    }
    out.push_str("]}");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn is_one_object_whatever_the_machine() {
        let text = super::devices_json();
        assert!(
            text.starts_with("{\"selector\":") && text.ends_with("]}"),
            "{text}"
        );
        assert!(text.contains("\"devices\":["), "{text}");
    }
}
