# cabe system: lo detectado, la memoria utilizable, las cifras de velocidad y las líneas de
# la detección (redactadas de nuevo a partir de las de cabe-sys), en español.

system-source-live = esta máquina
system-source-recorded = grabada: { $path }
system-err-root = --root { $path }: no es una carpeta
system-unknown-cpu-name = CPU desconocida
system-cores-threads = { $cores } núcleos / { $threads } hilos
system-cores = { $cores } núcleos
system-label-cpu = CPU
system-label-memory = memoria
system-label-model = modelo
system-label-gpus = GPU
system-label-machine = máquina
system-label-usable = utilizable
system-label-speed = velocidad
system-label-assumed = supuesto
system-label-unknown = sin datos
system-label-checked = revisado
system-mem-total = { $bytes } en total
system-mem-available = , { $bytes } disponibles
system-mem-swap = {" "}· intercambio { $bytes }{ $free }
system-mem-swap-free = {" "}({ $bytes } libres)
system-gpus-none = no se encontró ninguna
system-col-kind = tipo
system-col-memory = memoria
system-col-free = libre
system-col-driver = controlador
system-col-from = fuente
system-kind-discrete = dedicada
system-kind-integrated = integrada
system-kind-unified = unificada
system-memory-unknown = desconocida
system-memory-shared = compartida
system-gpu-cores = {" "}({ $cores } núcleos)
system-summary-discrete = { $gpus }, { $vram } de VRAM + { $ram } de RAM, { $backend }
system-summary-unified = { $gpu }, { $ram } unificada, { $backend }
system-summary-cpu = { $cpu }, { $ram } de RAM, solo CPU
system-usable-discrete = { $fast } en VRAM; { $total } descargando en la CPU (tras reservar { $reserve } para el sistema operativo)
system-usable-unified = { $fast } para el modelo, de { $ram } unificada ({ $kept } reservados para el sistema operativo y el límite de la GPU)
system-usable-cpu = { $fast } para el modelo, de { $ram } de RAM ({ $reserve } reservados para el sistema operativo)
system-bandwidth-unknown = ancho de banda desconocido
system-speed-catalog = { $speed } — del catálogo { $id } ("{ $name }"), identificada por { $on }
system-speed-no-match = { $speed } — sin coincidencia en el catálogo
system-matched-slowest = la GPU '{ $gpu }' (la más lenta de { $n }; cifras por GPU)
system-matched-chip = el chip '{ $chip }'
system-matched-cores = , { $n } núcleos de GPU
system-matched-same-chip = {" "}(no hay fila con { $bytes }: ancho de banda tomado de la fila del mismo chip)
system-unknown-memory = tamaño de la memoria del sistema
system-unknown-cpu = modelo de CPU
system-unknown-apple-cores = número de núcleos de la GPU de Apple
system-unknown-gpu-memory = memoria de { $gpu } ({ $source } no la indica)
system-unknown-other-gpus = en { $os } no se detectan GPU que no sean de NVIDIA
system-unknown-nvidia = { $gpu }: tarjeta NVIDIA en sysfs, pero ni NVML ni nvidia-smi respondieron; se desconoce su memoria
system-assumed-ram-bw = no se detecta el ancho de banda de la RAM del sistema (para las capas descargadas en la CPU)
system-assumed-no-memory = no se pudo leer la memoria del sistema: la memoria utilizable es 0
system-assumed-cpu-row = no hay fila del catálogo para la CPU '{ $cpu }': se suponen { $bw } GB/s de ancho de banda de memoria (DDR4-3200 de doble canal, fila del catálogo { $row })
system-assumed-no-gpu-row = no hay fila del catálogo para '{ $gpu }' con { $bytes }: se desconocen su ancho de banda y su capacidad de cálculo
system-assumed-no-row = no hay fila del catálogo para '{ $name }': se desconocen el ancho de banda y la capacidad de cálculo
system-checked-nvml-none = NVML: cargada, ninguna GPU NVIDIA
system-checked-smi-failed = nvidia-smi: no se encontró o falló
system-checked-meminfo = /proc/meminfo: ilegible
system-checked-cpuinfo = /proc/cpuinfo: ilegible
system-checked-drm-none = /sys/class/drm: ninguna GPU
system-checked-sysctl = sysctl -a: sin salida
system-checked-no-nvml = { $error }: no hay biblioteca del controlador NVIDIA, o ninguna utilizable (no es un error)
system-checked-nvidia = { $source }: { $n } { $n ->
    [one] GPU NVIDIA
   *[other] GPU NVIDIA
}
system-checked-drm = /sys/class/drm: { $n } GPU
system-checked-no-output = { $source }: sin salida
system-explain-cpu = ninguna GPU utilizable: el modelo funciona desde la RAM del sistema, { $ram } (MemTotal)
system-explain-discrete = memoria de GPU dedicada: { $parts } = { $vram } de VRAM; la RAM del sistema, { $ram }, se cuenta aparte (MemTotal)
system-explain-nv-unified = { $gpu }: CPU y GPU comparten un solo espacio de memoria; el controlador no indica framebuffer, así que la memoria es la del sistema, { $ram } (MemTotal), contada una vez
system-apple-default = lo predeterminado en macOS, { $share } de la memoria unificada { $above ->
    [yes] por encima de
   *[no] hasta
} 36 GB (iogpu.wired_limit_mb sin configurar)
system-explain-apple = { $ram } de memoria unificada contada una vez (hw.memsize); límite fijado para la GPU { $limit } ({ $how }); menos la reserva de { $reserve } para el sistema operativo: { $left }
system-explain-apu = APU, un solo espacio de memoria contado una vez: { $seen } vistos por el sistema operativo (MemTotal) + { $carve } reservados por la BIOS (mem_info_vram_total) = { $ram }
system-explain-gtt = la GPU puede usar la reserva de { $carve } + GTT { $gtt } (mem_info_gtt_total, como mucho los { $seen } visibles para el sistema operativo menos la reserva de { $reserve } para él) = { $limit }
system-explain-reserve = { $ram } de memoria − { $reserve } de reserva para el sistema operativo = { $left }
system-explain-vram = { $vram } de VRAM en { $gpus } GPU; descargando en la CPU + { $ram } de RAM − { $reserve } de reserva para el sistema operativo = { $total }
system-not-counted = { $gpu } no se cuenta: { $why }
system-why-intel = una GPU integrada que comparte la memoria del sistema (contada una vez, como RAM); se dimensiona como ejecución en CPU
system-why-integrated = una GPU integrada; llama.cpp se ejecuta en las GPU dedicadas
system-why-unknown = se desconoce su memoria
system-why-other = no es la GPU en la que se ejecutaría el modelo
system-matched-gpu = la GPU '{ $gpu }'
system-matched-cpu = la CPU '{ $cpu }'
