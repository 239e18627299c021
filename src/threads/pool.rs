//! Which threads parallel work runs on, across fork(). The process that loaded the
//! library uses rayon's global pool. A child after fork() has none of its parent's
//! threads: work handed to that pool there would wait forever. So each forked child
//! builds a pool of its own, of the parent's size, on its first parallel call: it keeps
//! its parent's speed, and the same thread count gives the same bits (a child ran
//! everything on one thread before, and `numpy.linalg.eigvals` of an order-600 matrix
//! came back with other bits than in its parent).

use rayon::{ThreadPool, ThreadPoolBuilder};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicUsize, Ordering};

/// Forks between the process that loaded the library and this one (0: that process).
static GENERATION: AtomicUsize = AtomicUsize::new(0);

/// The pool of a forked child, with the generation it was built for; an earlier
/// generation's is never freed (its threads are in the parent, not here).
struct ChildPool {
    generation: usize,
    pool: ThreadPool,
}

static CHILD_POOL: AtomicPtr<ChildPool> = AtomicPtr::new(std::ptr::null_mut());

/// Held while a child's pool is being built; released again in each new child (the
/// parent may have forked while one of its threads held it).
static BUILDING: AtomicBool = AtomicBool::new(false);

/// Registered with pthread_atfork: runs in the child, which must not create threads
/// here, only note that it is a new generation.
pub(super) extern "C" fn after_fork_in_child() {
    GENERATION.fetch_add(1, Ordering::Relaxed);
    BUILDING.store(false, Ordering::Relaxed);
}

/// Where this process's parallel work runs.
#[derive(Clone, Copy)]
pub enum Pool {
    /// rayon's global pool: the process that loaded the library.
    Global,
    /// A forked child's own pool.
    Child(&'static ThreadPool),
    /// A forked child whose pool could not be built (no threads to be had): every call
    /// runs on its caller's thread.
    Unavailable,
}

/// This process's pool, built with `threads` threads on a forked child's first call.
pub fn current(threads: usize) -> Pool {
    let generation = GENERATION.load(Ordering::Relaxed);
    if generation == 0 {
        return Pool::Global;
    }
    loop {
        let child = CHILD_POOL.load(Ordering::Acquire);
        // SAFETY: a published ChildPool is never freed.
        if let Some(child) = unsafe { child.as_ref() } {
            if child.generation == generation {
                return Pool::Child(&child.pool);
            }
        }
        if BUILDING
            .compare_exchange(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            std::thread::yield_now();
            continue;
        }
        let built = ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("lapack-ai-{i}"))
            .build();
        let pool = match built {
            Ok(pool) => pool,
            Err(_) => {
                BUILDING.store(false, Ordering::Release);
                return Pool::Unavailable;
            }
        };
        let child = Box::into_raw(Box::new(ChildPool { generation, pool }));
        CHILD_POOL.store(child, Ordering::Release);
        BUILDING.store(false, Ordering::Release);
    }
}

impl Pool {
    /// True when the calling thread is one of this pool's.
    pub fn is_current_thread(self) -> bool {
        match self {
            Pool::Global => rayon::current_thread_index().is_some(),
            Pool::Child(pool) => pool.current_thread_index().is_some(),
            Pool::Unavailable => false,
        }
    }

    /// Runs `job` on one of the pool's threads, later.
    pub fn spawn(self, job: impl FnOnce() + Send + 'static) {
        match self {
            Pool::Global => rayon::spawn(job),
            Pool::Child(pool) => pool.spawn(job),
            // Callers check `pool_available` first; run it here rather than lose it.
            Pool::Unavailable => job(),
        }
    }

    /// Runs `f` on one of the pool's threads, the caller waiting (on it already: here).
    pub fn install<R: Send>(self, f: impl FnOnce() -> R + Send) -> R {
        if self.is_current_thread() {
            return f();
        }
        match self {
            Pool::Global => rayon::scope(|_| f()),
            Pool::Child(pool) => pool.install(f),
            Pool::Unavailable => f(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    /// Forks after the pool has been used; the child's threaded work (parts on the pool, a
    /// faer product with a parallel `Par`) must finish on threads of its own pool, with
    /// the parent's bits. The parent waits at most a minute and kills a hung child.
    #[test]
    fn a_forked_child_runs_threaded_work_on_its_own_pool() {
        use faer::Mat;
        if super::super::count() < 2 {
            return;
        }
        let a = Mat::<f64>::from_fn(300, 300, |i, j| ((i * 7 + j * 3) % 11) as f64 - 5.0);
        let product = |a: &Mat<f64>| {
            let mut c = Mat::<f64>::zeros(300, 300);
            let par = super::super::par_for(1e9);
            super::super::for_rayon(par, || {
                faer::linalg::matmul::matmul(c.as_mut(), faer::Accum::Replace, a, a, 1.0, par)
            });
            c
        };
        let expected = product(&a);
        // SAFETY: the child runs only this library's code and leaves through _exit.
        let pid = unsafe { libc::fork() };
        assert!(pid >= 0, "fork failed");
        if pid == 0 {
            let same = product(&a) == expected;
            let caller = std::thread::current().id();
            let elsewhere = std::sync::atomic::AtomicBool::new(false);
            super::super::run_parts(2, &|p| {
                if p == 1 && std::thread::current().id() != caller {
                    elsewhere.store(true, std::sync::atomic::Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            });
            let on_child_pool = matches!(super::current(2), super::Pool::Child(_));
            let ok = same && on_child_pool && elsewhere.into_inner();
            unsafe { libc::_exit(if ok { 0 } else { 1 }) };
        }
        let deadline = Instant::now() + Duration::from_secs(60);
        let mut status = 0;
        loop {
            let done = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if done == pid {
                break;
            }
            if Instant::now() > deadline {
                unsafe { libc::kill(pid, libc::SIGKILL) };
                unsafe { libc::waitpid(pid, &mut status, 0) };
                panic!("the forked child hung");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        assert!(libc::WIFEXITED(status), "child status {status}");
        assert_eq!(
            libc::WEXITSTATUS(status),
            0,
            "child: wrong bits, no pool or no thread"
        );
    }
}
