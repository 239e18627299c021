//! Counter tests. Each test counts its own routines (the counters are process-wide and
//! tests run in parallel).

use super::*;

fn totals_of(name: &str, backend: Backend) -> Totals {
    snapshot(None)
        .unwrap()
        .into_iter()
        .find(|r| r.routine == name && r.backend == backend)
        .map_or(Totals::default(), |r| r.totals)
}

#[test]
fn multithreaded_sums_are_exact_and_survive_thread_exit() {
    static R: Routine = Routine::new("TEST_MT");
    let threads = 8;
    let calls = 20_000u64;
    std::thread::scope(|s| {
        for t in 0..threads {
            s.spawn(move || {
                for i in 0..calls {
                    let mut call = begin(&R, 10, 3, String::new);
                    if (i + t) % 4 == 0 {
                        call.set_backend(Backend::Gpu, "test");
                    }
                }
            });
        }
    });
    // Every thread has ended: its counts live on in the retired totals.
    let (cpu, gpu) = (
        totals_of("TEST_MT", Backend::Cpu),
        totals_of("TEST_MT", Backend::Gpu),
    );
    assert_eq!(cpu.calls + gpu.calls, threads * calls);
    assert_eq!(gpu.calls, threads * calls / 4);
    assert_eq!(cpu.flops + gpu.flops, 10 * threads * calls);
    assert_eq!(cpu.bytes + gpu.bytes, 3 * threads * calls);
}

#[test]
fn live_threads_are_summed_while_running() {
    static R: Routine = Routine::new("TEST_LIVE");
    let (to_main, from_workers) = std::sync::mpsc::channel();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let wait = std::sync::Arc::new(std::sync::Mutex::new(wait));
    let handles: Vec<_> = (0..3)
        .map(|_| {
            let (to_main, wait) = (to_main.clone(), wait.clone());
            std::thread::spawn(move || {
                for _ in 0..1000 {
                    drop(begin(&R, 1, 1, String::new));
                }
                to_main.send(()).unwrap();
                let _ = wait.lock().unwrap().recv();
            })
        })
        .collect();
    for _ in 0..3 {
        from_workers.recv().unwrap();
    }
    assert_eq!(totals_of("TEST_LIVE", Backend::Cpu).calls, 3000);
    drop(release);
    for h in handles {
        h.join().unwrap();
    }
    assert_eq!(totals_of("TEST_LIVE", Backend::Cpu).calls, 3000);
}

#[test]
fn large_calls_are_timed_small_ones_only_counted() {
    static R: Routine = Routine::new("TEST_TIMED");
    for _ in 0..5 {
        drop(begin(&R, 10, 0, String::new));
    }
    for _ in 0..2 {
        drop(begin(&R, TIMED_MIN_FLOPS, 0, String::new));
    }
    let t = totals_of("TEST_TIMED", Backend::Cpu);
    assert_eq!(t.calls, 7);
    if !detailed() {
        assert_eq!(t.timed_calls, 2);
        assert_eq!(t.timed_flops, 2 * TIMED_MIN_FLOPS);
    }
}

#[test]
fn stats_json_counts_calls() {
    static R: Routine = Routine::new("TEST_JSON");
    for _ in 0..42 {
        drop(begin(&R, 2, 16, String::new));
    }
    let text = stats_json();
    let start = text
        .find("{\"routine\":\"TEST_JSON\"")
        .expect("routine listed");
    let end = start + text[start..].find('}').unwrap() + 1;
    let fields = json::parse_object(&text[start..end]).unwrap();
    let get = |k: &str| fields.iter().find(|f| f.0 == k).unwrap().1.clone();
    assert_eq!(get("calls"), json::Value::Num(42.0));
    assert_eq!(get("flops"), json::Value::Num(84.0));
    assert_eq!(get("bytes"), json::Value::Num(672.0));
    assert_eq!(get("backend"), json::Value::Str("cpu".into()));
}

#[test]
fn the_blas_hooks_count_flops() {
    use crate::scalar::c64;
    // Hook calls are counted under the routine's name; other tests may call DGEMM too,
    // so compare differences.
    let before = totals_of("ZGEMM", Backend::Cpu);
    drop(blas::gemm::<c64>(b'N', b'C', 3, 4, 5));
    let after = totals_of("ZGEMM", Backend::Cpu);
    assert_eq!(after.calls - before.calls, 1);
    assert_eq!(after.flops - before.flops, 8 * 3 * 4 * 5);
    assert_eq!(after.bytes - before.bytes, 16 * (15 + 20 + 12));
}

#[test]
fn the_trace_table_sums_lines() {
    let text = "{\"routine\":\"DGEMM\",\"backend\":\"cpu\",\"ns\":1000,\"flops\":4000,\"bytes\":8}\n\
                {\"routine\":\"DGEMM\",\"backend\":\"gpu\",\"ns\":1000,\"flops\":2000,\"bytes\":8}\n\
                not json\n";
    let (rows, bad) = report::from_trace(text);
    assert_eq!(bad, 1);
    assert_eq!(rows.len(), 2);
    let table = report::table(&rows, "all");
    let line = table.lines().find(|l| l.starts_with("DGEMM")).unwrap();
    let cells: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(cells[1], "2"); // calls
    assert_eq!(cells[2], "1"); // gpu calls
    assert!(line.contains("3.00"), "{line}"); // 6000 flops / 2000 ns
}
