# El resumen, las líneas de progreso y los errores de cabe calibrate, en español.

calibrate-header = calibrada el { $when } en `{ $machine }`{ $quick ->
    [yes] {" "}(rápida: cifras aproximadas)
   *[no] {""}
}
calibrate-bandwidth = ancho de banda de lectura de memoria: { $best } GB/s (la mejor de { $passes } pasadas sobre { $buffer } con { $threads } hilos; mediana { $median })
calibrate-one-core = un solo núcleo: { $best } GB/s (mediana { $median })
calibrate-compute = cálculo: { $best } GFLOP/s ({ $kernel }; la mejor de { $passes } pasadas; mediana { $median })
calibrate-int8 = multiplicaciones de matrices cuantizadas (productos escalares int8, { $ratio }× una FMA f32 por carril aquí): como mucho { $ops } G operaciones/s
calibrate-kernels = kernels de llama.cpp (llama-bench { $build }, { $threads } { $threads ->
    [one] hilo
   *[other] hilos
}, kernels reempaquetados: { $repack ->
    [on] activados
   *[off] desactivados
}; un modelo de anchura 1024 se lee a { $narrow }×; atención: { $prefill_ns } ns por (consulta, clave, cabeza) en el prefill, { $decode_ns } ns por (clave, cabeza) en la decodificación):
calibrate-kernel-row = decodificación { $decode } GB/s leídos   prefill { $prefill } GFLOP/s
calibrate-expert-ratio = los expertos enrutados { $ty } tardan en el prefill { $ratio }× su tiempo de lectura por token en la decodificación
calibrate-kernels-none = kernels de llama.cpp: sin medir (se aplican los factores de la máquina de compilación; `cabe calibrate --llama-bench RUTA` los mide aquí)
calibrate-stored = guardada en { $path }
calibrate-other-machine = medida en otra máquina: no se usa aquí (ejecuta `cabe calibrate`)
calibrate-used = `cabe fit`, `cabe curve` y `cabe bench` la usan en esta máquina
calibrate-progress-start = leyendo { $bytes } con { $threads } hilos
calibrate-progress-bandwidth = pasada de lectura de memoria { $pass }/{ $of }: { $gbps } GB/s
calibrate-progress-compute = pasada de FMA f32 { $pass }/{ $of }: { $gflops } GFLOP/s
calibrate-repack-failed = los kernels de CPU reempaquetados de llama.cpp fallaron aquí ({ $error }); medido con --repack 0
calibrate-none-stored = no hay ninguna calibración guardada ({ $path }): ejecuta `cabe calibrate`
calibrate-threads-range = --threads debe estar entre 1 y 1024
calibrate-storing = guardando { $path }
calibrate-measuring-kernels = midiendo los kernels de llama.cpp con { $bin }
