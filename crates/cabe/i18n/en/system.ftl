# cabe system: what was detected, the usable memory, the speed figures, and the detection's
# own lines (worded again from cabe-sys's), in English.

system-source-live = this machine
system-source-recorded = recorded: { $path }
system-err-root = --root { $path }: not a directory
system-unknown-cpu-name = unknown CPU
system-cores-threads = { $cores } cores / { $threads } threads
system-cores = { $cores } cores
system-label-cpu = CPU
system-label-memory = memory
system-label-model = model
system-label-gpus = GPUs
system-label-machine = machine
system-label-usable = usable
system-label-speed = speed
system-label-assumed = assumed
system-label-unknown = unknown
system-label-checked = checked
system-mem-total = { $bytes } total
system-mem-available = , { $bytes } available
system-mem-swap = {" "}· swap { $bytes }{ $free }
system-mem-swap-free = {" "}({ $bytes } free)
system-gpus-none = none found
system-col-kind = kind
system-col-memory = memory
system-col-free = free
system-col-driver = driver
system-col-from = from
system-kind-discrete = discrete
system-kind-integrated = integrated
system-kind-unified = unified
system-memory-unknown = unknown
system-memory-shared = shared
system-gpu-cores = {" "}({ $cores } cores)
system-summary-discrete = { $gpus }, { $vram } VRAM + { $ram } RAM, { $backend }
system-summary-unified = { $gpu }, { $ram } unified, { $backend }
system-summary-cpu = { $cpu }, { $ram } RAM, CPU only
system-usable-discrete = { $fast } in VRAM; { $total } with CPU offload (after { $reserve } kept for the OS)
system-usable-unified = { $fast } for the model, of { $ram } unified ({ $kept } kept back for the OS and the GPU limit)
system-usable-cpu = { $fast } for the model, of { $ram } RAM ({ $reserve } kept for the OS)
system-bandwidth-unknown = bandwidth unknown
system-speed-catalog = { $speed } — from catalog { $id } ({ $name }), matched on { $on }
system-speed-no-match = { $speed } — no catalog match
system-matched-slowest = GPU '{ $gpu }' (the slowest of { $n }; per-GPU figures)
system-matched-chip = chip '{ $chip }'
system-matched-cores = , { $n } GPU cores
system-matched-same-chip = {" "}(no row with { $bytes }: bandwidth taken from the same chip's row)
system-unknown-memory = system memory size
system-unknown-cpu = CPU model
system-unknown-apple-cores = Apple GPU core count
system-unknown-gpu-memory = memory of { $gpu } (not reported by { $source })
system-unknown-other-gpus = GPUs other than NVIDIA's are not detected on { $os }
system-unknown-nvidia = { $gpu }: NVIDIA card in sysfs but neither NVML nor nvidia-smi answered, so its memory is unknown
system-assumed-ram-bw = system RAM bandwidth (for layers offloaded to the CPU) is not detected
system-assumed-no-memory = system memory could not be read: usable memory is 0
system-assumed-cpu-row = no catalog row for CPU '{ $cpu }': assumed { $bw } GB/s memory bandwidth (dual-channel DDR4-3200, catalog row { $row })
system-assumed-no-gpu-row = no catalog row for '{ $gpu }' with { $bytes }: its bandwidth and compute are unknown
system-assumed-no-row = no catalog row for '{ $name }': bandwidth and compute unknown
system-checked-nvml-none = NVML: loaded, no NVIDIA GPU
system-checked-smi-failed = nvidia-smi: not found or failed
system-checked-meminfo = /proc/meminfo: unreadable
system-checked-cpuinfo = /proc/cpuinfo: unreadable
system-checked-drm-none = /sys/class/drm: no GPU
system-checked-sysctl = sysctl -a: no output
system-checked-no-nvml = { $error }: no NVIDIA driver library, or none usable (not an error)
system-checked-nvidia = { $source }: { $n } NVIDIA GPU(s)
system-checked-drm = /sys/class/drm: { $n } GPU(s)
system-checked-no-output = { $source }: no output
system-explain-cpu = no usable GPU: the model runs from system RAM, { $ram } (MemTotal)
system-explain-discrete = discrete GPU memory: { $parts } = { $vram } VRAM; system RAM { $ram } counted separately (MemTotal)
system-explain-nv-unified = { $gpu }: CPU and GPU share one pool; the driver reports no framebuffer, so memory is the system's { $ram } (MemTotal), counted once
system-apple-default = macOS default { $share } of unified memory { $above ->
    [yes] above
   *[no] up to
} 36 GB (iogpu.wired_limit_mb unset)
system-explain-apple = { $ram } unified memory counted once (hw.memsize); GPU wired limit { $limit } ({ $how }); less the { $reserve } OS reserve: { $left }
system-explain-apu = APU, one pool counted once: { $seen } seen by the OS (MemTotal) + { $carve } BIOS carve-out (mem_info_vram_total) = { $ram }
system-explain-gtt = the GPU may use the carve-out { $carve } + GTT { $gtt } (mem_info_gtt_total, at most the OS-visible { $seen } less the { $reserve } OS reserve) = { $limit }
system-explain-reserve = { $ram } memory − { $reserve } OS reserve = { $left }
system-explain-vram = { $vram } VRAM over { $gpus } GPU(s); with CPU offload + { $ram } RAM − { $reserve } OS reserve = { $total }
system-not-counted = { $gpu } not counted: { $why }
system-why-intel = an integrated GPU sharing system memory (counted once, as RAM); sized as a CPU run
system-why-integrated = an integrated GPU; llama.cpp runs on the discrete GPU(s)
system-why-unknown = its memory is unknown
system-why-other = not the GPU(s) the model would run on
system-matched-gpu = GPU '{ $gpu }'
system-matched-cpu = CPU '{ $cpu }'
