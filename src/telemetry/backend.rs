//! Where a call ran.

/// The backend a call ran on; counters are kept per routine and backend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum Backend {
    Cpu = 0,
    Gpu = 1,
}

impl Backend {
    pub const ALL: [Backend; 2] = [Backend::Cpu, Backend::Gpu];
    pub const COUNT: usize = 2;

    pub fn name(self) -> &'static str {
        match self {
            Backend::Cpu => "cpu",
            Backend::Gpu => "gpu",
        }
    }

    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::ALL.into_iter().find(|b| b.name() == name)
    }
}
