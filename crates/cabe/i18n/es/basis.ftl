# De qué salen las predicciones de velocidad (las notas de velocidad de fit y curve): la
# calibración usada o no, y la corrección del historial de bench, en español.

basis-no-path = sin calibrar ({ $error })
basis-not-calibrated = sin calibrar: ejecuta `cabe calibrate` para medir el ancho de banda y el cálculo de esta máquina
basis-unreadable = no se usa la calibración: { $error }
basis-other-machine = no se usa la calibración: se midió en otra máquina ({ $machine }); ejecuta `cabe calibrate`
basis-calibrated-cpu = calibrada el { $when }{ $quick ->
    [yes] {" "}(una calibración rápida y aproximada)
   *[no] {""}
}: lectura de memoria de { $bw } GB/s{ $spec }, { $gflops } GFLOP/s de FMA f32 ({ $threads } { $threads ->
    [one] hilo
   *[other] hilos
}){ $kernels ->
    [yes] ; kernels de llama.cpp medidos aquí
   *[no] {""}
}
basis-in-place-of-spec = {" "}en lugar de los { $bw } GB/s de la especificación
basis-used-ram = lectura de la RAM del sistema de { $bw } GB/s para las capas descargadas
basis-used-memory = lectura de memoria de { $bw } GB/s (medida por la CPU)
basis-calibrated-gpu-own = calibrada el { $when }{ $quick ->
    [yes] {" "}(una calibración rápida y aproximada)
   *[no] {""}
}; se usan las cifras propias de la GPU (la calibración mide la CPU)
basis-calibrated-gpu = calibrada el { $when }{ $quick ->
    [yes] {" "}(una calibración rápida y aproximada)
   *[no] {""}
}: { $used }
basis-history-not-used = no se usa el historial de bench: { $error }
basis-history-corrected = corregida con { $runs } { $runs ->
    [one] ejecución medida
   *[other] ejecuciones medidas
}: { $factors } (`cabe history`)
basis-factor-decode = ×{ $factor } decodificación
basis-factor-prefill = ×{ $factor } prefill
basis-history-other-basis = no se { $runs ->
    [one] usa { $runs } ejecución
   *[other] usan { $runs } ejecuciones
} de bench en esta máquina predichas con otras cifras (anteriores a la calibración actual): ejecuta `cabe bench` de nuevo
basis-miss = las predicciones se desviaron de las ejecuciones medidas ({ $parts }; + = predicción demasiado rápida), así que el historial las corrige; { $what }
basis-miss-decode = decodificación { $pct } %
basis-miss-prefill = prefill { $pct } %
basis-miss-kernels = los factores de kernel de la calibración son los de la máquina de compilación: `cabe calibrate --llama-bench` mide aquí los de llama.cpp
basis-miss-calibration = la calibración ya no corresponde a esta máquina: ejecuta `cabe calibrate` de nuevo
basis-miss-catalog = las cifras del catálogo no corresponden a esta máquina: `cabe calibrate` la mide
