//! `server` (installed as `redline`): the command line in `cli`; without a
//! command it serves (`redline serve`).
fn main() -> std::process::ExitCode {
    keep_large_allocations_on_mmap();
    server::cli::main()
}

/// Argon2 allocates 19 MiB per password hash. glibc raises its mmap threshold
/// once such a block is freed, after which these blocks come from the heap,
/// fragment it and stay resident: 100 parallel sign-ins left 360 MiB. A fixed
/// threshold keeps large blocks on mmap, given back as soon as they are freed
/// (measured by `cargo bench -p server --bench load`).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_large_allocations_on_mmap() {
    extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    const M_MMAP_THRESHOLD: i32 = -3;
    // glibc gives each busy thread its own heap (up to 8 per core), each
    // keeping freed memory: two arenas hold RSS down under load with the
    // same throughput on this many cores (`cargo bench -p server --bench scale`).
    const M_ARENA_MAX: i32 = -8;
    // SAFETY: mallopt only tunes the allocator; it runs before any other thread.
    unsafe {
        mallopt(M_MMAP_THRESHOLD, 128 * 1024);
        mallopt(M_ARENA_MAX, 2);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_large_allocations_on_mmap() {}
