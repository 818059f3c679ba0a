# What speed predictions are made from (fit's and curve's speed notes): the calibration used or
# not, and the bench history's correction. English output prints the engine's own lines
# (which --json carries); these say the same.

basis-no-path = not calibrated ({ $error })
basis-not-calibrated = not calibrated: run `cabe calibrate` to measure this machine's bandwidth and compute
basis-unreadable = calibration not used: { $error }
basis-other-machine = calibration not used: it was measured on another machine ({ $machine }); run `cabe calibrate`
basis-calibrated-cpu = calibrated on { $when }{ $quick ->
    [yes] {" "}(a quick, rough calibration)
   *[no] {""}
}: { $bw } GB/s memory read{ $spec }, { $gflops } GFLOP/s f32 FMA ({ $threads } threads){ $kernels ->
    [yes] ; llama.cpp's kernels measured here
   *[no] {""}
}
basis-in-place-of-spec = {" "}in place of { $bw } GB/s from the spec
basis-used-ram = { $bw } GB/s system RAM read for offloaded layers
basis-used-memory = { $bw } GB/s memory read (measured by the CPU)
basis-calibrated-gpu-own = calibrated on { $when }{ $quick ->
    [yes] {" "}(a quick, rough calibration)
   *[no] {""}
}; the GPU's own figures are used (the calibration measures the CPU)
basis-calibrated-gpu = calibrated on { $when }{ $quick ->
    [yes] {" "}(a quick, rough calibration)
   *[no] {""}
}: { $used }
basis-history-not-used = bench history not used: { $error }
basis-history-corrected = corrected by { $runs } measured { $runs ->
    [one] run
   *[other] runs
}: { $factors } (`cabe history`)
basis-factor-decode = ×{ $factor } decode
basis-factor-prefill = ×{ $factor } prefill
basis-history-other-basis = { $runs } bench { $runs ->
    [one] run was
   *[other] runs were
} on this machine predicted from other figures (before the current calibration) not used: run `cabe bench` again
basis-miss = the predictions missed the measured runs ({ $parts }; + = predicted too fast), so the history corrects them; { $what }
basis-miss-decode = decode { $pct }%
basis-miss-prefill = prefill { $pct }%
basis-miss-kernels = the calibration's kernel factors are the build machine's: `cabe calibrate --llama-bench` measures llama.cpp's here
basis-miss-calibration = the calibration does not match this machine now: run `cabe calibrate` again
basis-miss-catalog = the catalog's figures do not match this machine: `cabe calibrate` measures it
