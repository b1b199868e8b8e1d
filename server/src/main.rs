//! `server` (installed as `redline`): the command line in `cli`; without a
//! command it serves (`redline serve`).

/// mimalloc instead of glibc's allocator, for Rust and (its `override`
/// feature) for the C code, SQLite above all. Under glibc each page's brotli
/// window and buffers were blocks above the mmap threshold (fixed at 128 KiB
/// for Argon2's 19 MiB blocks), mapped and unmapped per response: page faults
/// to zero them and, on unmapping, TLB shootdowns that interrupt the other
/// core; and SQLite's threads queued for glibc's arena locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    redline_store::db::tune_sqlite_library();
    server::cli::main()
}

/// mimalloc's defaults keep RSS 20–60 MiB higher after a burst (the `load`
/// benchmark: 100 sign-ins, 100 MiB uploads; a 32 MiB CSV export): arenas
/// committed up front and freed pages purged a second later. Here arenas are
/// committed on use and freed pages purged after 10 ms. Purged at once, every
/// page freed was an `madvise` whose TLB shootdown stopped the other core:
/// 6 % of the server's time during intake, most of it on SQLite's threads, in
/// the one writer's path (intake 1,070 → 1,240–1,300 filings/s). Set before
/// `main`: the standard library's start-up allocates, and the first arena
/// takes the options in force then (set in `main`, the export still grew
/// 22–30 MiB).
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
        mi_option_set(PURGE_DELAY, 10);
    }
}
