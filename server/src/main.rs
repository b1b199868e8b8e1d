//! `server` (installed as `redline`): the command line in `cli`; without a
//! command it serves (`redline serve`).

/// mimalloc instead of glibc's allocator. Each page's brotli window and
/// buffers are blocks above glibc's mmap threshold (fixed at 128 KiB below),
/// mapped and unmapped per response: page faults to zero them and, on
/// unmapping, TLB shootdowns that interrupt the other core. mimalloc keeps
/// freed pages for reuse and gives them back after a short delay.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    keep_large_allocations_on_mmap();
    server::cli::main()
}

/// mimalloc's defaults keep RSS 20–60 MiB higher after a burst (the `load`
/// benchmark: 100 sign-ins, 100 MiB uploads; a 32 MiB CSV export): arenas
/// committed up front and freed pages purged a second later. Committed on use
/// and purged at once, RSS is what glibc's was, and pages stay as fast
/// (`./dev bench`). Set before `main`: the standard library's start-up
/// allocates, and the first arena takes the options in force then.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static GIVE_FREED_MEMORY_BACK: extern "C" fn() = give_freed_memory_back;

#[cfg(target_os = "linux")]
extern "C" fn give_freed_memory_back() {
    // The option numbers of `mi_option_e` in mimalloc 3's `mimalloc.h`.
    const ARENA_EAGER_COMMIT: i32 = 4;
    const PURGE_DELAY: i32 = 15;
    extern "C" {
        fn mi_option_set(option: i32, value: std::ffi::c_long);
    }
    // SAFETY: sets two of mimalloc's options, which takes no allocation.
    unsafe {
        mi_option_set(ARENA_EAGER_COMMIT, 0);
        mi_option_set(PURGE_DELAY, 0);
    }
}

/// What still uses glibc's allocator is C code, SQLite's page caches above
/// all. Two arenas instead of up to 8 per core, each keeping what was freed
/// in it, hold RSS down under load with the same throughput on this many
/// cores (`cargo bench -p server --bench scale`); large blocks stay on mmap,
/// given back as soon as they are freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_allocations_on_mmap() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_MMAP_THRESHOLD: i32 = -3;
    const M_ARENA_MAX: i32 = -8;
    // SAFETY: mallopt only tunes the allocator; it runs before any other thread.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        mallopt(M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_allocations_on_mmap() {}
