# cabe calibrate's summary, progress lines and errors, in English.

calibrate-header = calibrated { $when } on { $machine }{ $quick ->
    [yes] {" "}(quick: rough figures)
   *[no] {""}
}
calibrate-bandwidth = memory read bandwidth: { $best } GB/s (best of { $passes } passes over { $buffer } with { $threads } threads; median { $median })
calibrate-one-core = one core alone: { $best } GB/s (median { $median })
calibrate-compute = compute: { $best } GFLOP/s ({ $kernel }; best of { $passes } passes; median { $median })
calibrate-int8 = quantized matmuls (int8 dot products, { $ratio }× an f32 FMA per lane here): at most { $ops } G ops/s
calibrate-kernels = llama.cpp's kernels (llama-bench { $build }, { $threads } { $threads ->
    [one] thread
   *[other] threads
}, repacked kernels { $repack ->
    [on] on
   *[off] off
}; a 1,024-wide model streams at { $narrow }×; attention { $prefill_ns } ns per (query, key, head) in prefill, { $decode_ns } ns per (key, head) in decode):
calibrate-kernel-row = decode { $decode } GB/s streamed   prefill { $prefill } GFLOP/s
calibrate-expert-ratio = routed { $ty } experts in a prefill run { $ratio }× their decode streaming time per token
calibrate-kernels-none = llama.cpp's kernels: not measured (the build machine's factors apply; `cabe calibrate --llama-bench PATH` measures them here)
calibrate-stored = stored in { $path }
calibrate-other-machine = measured on another machine: not used here (run `cabe calibrate`)
calibrate-used = `cabe fit`, `cabe curve` and `cabe bench` on this machine use it
calibrate-progress-start = reading { $bytes } with { $threads } threads
calibrate-progress-bandwidth = memory read pass { $pass }/{ $of }: { $gbps } GB/s
calibrate-progress-compute = f32 FMA pass { $pass }/{ $of }: { $gflops } GFLOP/s
calibrate-repack-failed = llama.cpp's repacked CPU kernels failed here ({ $error }); measured with --repack 0
calibrate-none-stored = no calibration stored ({ $path }): run `cabe calibrate`
calibrate-threads-range = --threads must be between 1 and 1024
calibrate-storing = storing { $path }
calibrate-measuring-kernels = measuring llama.cpp's kernels with { $bin }
