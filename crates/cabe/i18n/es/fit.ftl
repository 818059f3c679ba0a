# La tabla, el veredicto, los cambios, la velocidad y --explain de cabe fit (y la línea de
# la máquina que comparten otras órdenes), en español.

machine-catalog = { $name } (catálogo: { $id })
machine-memory-as-sold = --memory { $given } se interpreta como { $bytes } (la memoria se vende en GiB; --si para 10^9)
machine-memory-si = --memory { $given } se interpreta como { $bytes_raw } bytes (SI)
machine-memory = --memory { $given } = { $bytes }
machine-this = esta máquina: { $summary }
machine-unreadable = {" "}(no se pudo leer la memoria; usa --memory o --on)
machine-detected = {" "}(detectada; `cabe system` muestra cómo)

fit-changes = cabría con uno de estos cambios:
fit-change = { $total } en total, { $spare } de margen
fit-as-runtime = con { $runtime }:
fit-calibrated-on = calibrada el { $when }
fit-efficiency-ranges = intervalos de eficiencia de data/speed.toml
fit-bandwidth-unknown = ancho de banda desconocido
fit-speed-on = velocidad en { $backend } ({ $bw }; { $basis }):
fit-per-gpu = por GPU (llama.cpp coloca capas enteras en cada tarjeta, cada una con la caché KV de sus capas y su propio búfer de cálculo; `cabe plan` da más detalle):
fit-per-gpu-row-layers = capas
fit-per-gpu-none = ninguna
fit-per-gpu-of = { $total } de { $cap }, { $spare } de margen
fit-per-gpu-short = {" "} falta memoria en { $cards }: el total conjunto cabe, pero no tarjeta a tarjeta (un --ctx más corto, o cabe plan --tensor-split)
fit-per-gpu-max = {" "} contexto más largo que cabe en todas las tarjetas: { $ctx }
fit-per-gpu-none-fit = {" "} ni siquiera 256 tokens caben en todas las tarjetas
fit-params-moe = { $total } mil millones de parámetros ({ $active } mil millones activos)
fit-params = { $total } mil millones de parámetros
fit-from-file = de un archivo
fit-from-url = de una URL
fit-from-catalog = catálogo, dimensionado con las reglas de llama-quantize
fit-settings = { $runtime } · contexto de { $ctx } por secuencia × { $seqs } · KV { $kv } · flash attention { $fa ->
    [on] activada
   *[off] desactivada
} · contexto nativo { $native }
fit-on = máquina: { $machine }
fit-col-note = nota
fit-row-weights = pesos
fit-row-kv = caché KV
fit-row-compute = búfer de cálculo
fit-row-output = búfer de salida
fit-row-reserve = reserva del runtime
fit-row-total = total
fit-row-available = disponible
fit-note-bpw = { $bpw } bits/peso
fit-note-recurrent = incl. { $bytes } de estado recurrente
fit-note-swa = las capas de ventana deslizante guardan una ventana corta
fit-note-compute = estimación, un micro-lote
fit-note-backend = backend { $backend }
fit-note-os = tras reservar { $bytes } para el sistema operativo
fit-max-native = cabe el contexto nativo completo ({ $ctx })
fit-max-largest = contexto más largo que cabe: { $ctx }
fit-max-none = ni siquiera cabe un contexto de 256 tokens
fit-verdict-experts = CABE CON LOS EXPERTOS EN LA CPU: { $gpu } en la GPU de { $cap } ({ $gpu_gb } de { $cap_gb }), { $spare } de margen, y los expertos enrutados de { $layers } capas ({ $experts }) en la RAM del sistema; { $max }.
fit-verdict-fits = CABE: { $total } de { $cap } ({ $total_gb } de { $cap_gb }), { $spare } de margen; { $max }.
fit-verdict-offload = CABE DESCARGANDO EN LA CPU: necesita { $total }, con { $vram } de VRAM; el resto funciona desde la RAM del sistema, más despacio; { $max }.
fit-verdict-no = NO CABE: necesita { $total }, hay { $cap } disponibles (faltan { $short }); { $max }.
explain-origin-file = sumados de la información de tensores del archivo
explain-origin-catalog = { $n } tensores construidos a partir de la arquitectura, con los tipos de las reglas { $quant } de llama-quantize
explain-mix = { $bytes } de { $type } en { $n } tensores
explain-weights = pesos: { $params } parámetros, { $origin }: { $mix } = { $bytes } ({ $bpw } bits/peso)
explain-kv = caché KV: { $line }
explain-compute = cálculo: { $line }
explain-output = búfer de salida: vocabulario de { $vocab } × { $seqs } { $seqs ->
    [one] secuencia
   *[other] secuencias
} × 4 bytes = { $bytes }
explain-capacity = capacidad: { $line }

speed-decode = decodificación: { $empty } con el contexto vacío; { $at } a los { $tokens } tokens
speed-cpu-experts = el { $pct } % de los bytes por token sale de la RAM del sistema (los expertos de { $layers } capas se quedan en la CPU): esa parte domina
speed-cpu-offload = el { $pct } % de los bytes por token sale de la RAM del sistema (descarga en la CPU): esa parte domina
speed-bw-unknown = decodificación: se desconoce el ancho de banda de memoria de esta máquina (usa --on ID_DE_HARDWARE)
speed-prefill-given = prefill: { $tokens } tokens ÷ { $rate } tok/s (indicado) = { $time }
speed-prefill = prefill de { $tokens } tokens: { $range } → primer token tras { $fast }–{ $slow }
speed-prefill-unknown = prefill de { $tokens } tokens: no hay cifra de cálculo para esta máquina; indica --prefill-rate (un ritmo medido){ $calibrate ->
    [yes] {" "}o ejecuta `cabe calibrate`
   *[no] {""}
}
speed-small-batch = el prefill se predice para micro-lotes de { $min } tokens o más; este es de { $batch }: espera que vaya más lento (el prefill de llama.cpp en CPU fue de 1,1 a 3 veces más lento con lotes de 16–64 tokens)
speed-timeout = tiempo de espera: primer token tras { $ttft } s { $ok ->
    [yes] <=
   *[no] >
} { $limit } s de espera del cliente{ $range }{ $ok ->
    [yes] {""}
   *[no] : el cliente se rinde antes de que el modelo responda
}
speed-timeout-range = {" "}(típico; intervalo { $low }–{ $high })
speed-timeout-unknown = tiempo de espera: no se puede juzgar sin un ritmo de prefill (--prefill-rate) y --prompt-tokens
speed-claim-over = afirmación: { $claim } tok/s supera el techo de { $ceiling } tok/s ({ $bw } GB/s ÷ { $gb } GB leídos por token): necesita decodificación especulativa, pesos más pequeños, o no es este modelo
speed-claim-within = afirmación: { $claim } tok/s está dentro del techo de { $ceiling } tok/s
speed-range = { $low }–{ $high } { $unit } (típico { $typical }; techo { $bound })
speed-range-over-fp16 = { $low }–{ $high } { $unit } (típico { $typical }; por encima de la cifra FP16 del catálogo, como corren los kernels int8)
