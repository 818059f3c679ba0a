# Los pasos del plan de memoria con --explain (la caché KV, el búfer de cálculo, la capacidad
# y los totales), en español, a partir de las cifras del núcleo.

explain-elem = { $size } bytes
explain-elem-block = { $size }/{ $block } bytes
explain-kv-group = { $layers } { $layers ->
    [one] capa
   *[other] capas
}{ $swa ->
    [yes] {" "}de ventana deslizante
   *[no] {""}
}
explain-kv-same = { $tokens } tokens × { $group } × { $heads } cabezas KV × { $width } × 2 (K,V) × { $elem } = { $bytes }
explain-kv-split = { $tokens } tokens × { $group } × { $heads } cabezas KV × ({ $kwidth } × { $kelem } K + { $vwidth } × { $velem } V) = { $bytes }
explain-kv-mla = { $tokens } tokens × { $layers } { $layers ->
    [one] capa
   *[other] capas
} MLA × latente de { $width } (kv_lora_rank + rope) × { $elem } (solo K: la caché no guarda V) = { $bytes }
explain-kv-padded = el contexto de { $ctx } se amplía a { $padded } (llama.cpp redondea n_ctx a un múltiplo de 256)
explain-kv-recurrent = estado recurrente: { $layers } { $layers ->
    [one] capa
   *[other] capas
} × ({ $conv } de convolución + { $state } de estado) × 4 bytes (f32) × { $seqs } { $seqs ->
    [one] secuencia
   *[other] secuencias
} = { $bytes }

explain-stage-logits = logits
explain-stage-attention = atención
explain-stage-ffn = FFN
explain-compute-batch = un micro-lote de { $tokens } tokens, { $outputs } { $outputs ->
    [one] fila
   *[other] filas
} de logits; el búfer es la etapa mayor ({ $stage })
explain-compute-logits = logits: { $outputs } × { $vocab } de vocabulario × 4 + últimos estados ocultos = { $bytes }
explain-compute-attention-flash = atención (flash): máscara KQ f16 { $cells } × { $tokens } + activaciones Q/K/V/salida = { $bytes }
explain-compute-attention = atención: puntuaciones KQ { $kv } × { $tokens } × { $heads } cabezas × 4 + máscara f32 { $cells } × { $tokens } + activaciones = { $bytes }
explain-compute-ffn-experts = FFN: { $used } de { $of } expertos × { $width } de ancho + máscara KQ = { $bytes }
explain-compute-ffn-dense = FFN: gate/up/GLU de { $width } de ancho + máscara KQ = { $bytes }

explain-capacity-wired = la GPU puede reservar el { $pct } % de { $memory } de memoria unificada (recommendedMaxWorkingSetSize) = { $fast }
explain-capacity-ram = { $memory } de memoria − { $reserve } de reserva para el sistema operativo = { $fast }
explain-capacity-offload = { $vram } de VRAM en { $gpus } GPU; descargando en la CPU, + { $ram } de RAM − { $reserve } de reserva para el sistema operativo = { $total }

explain-total = total = pesos { $weights } + KV { $kv } + cálculo { $compute } + salida { $output } + runtime { $runtime } = { $total }
explain-cpu-experts = --n-cpu-moe { $layers }: los expertos enrutados de { $layers } { $layers ->
    [one] capa
   *[other] capas
}, { $bytes }, se quedan en la RAM del sistema ({ $free } libres para ellos); la GPU guarda { $total } − { $bytes } = { $need }
explain-headroom = margen = { $limit } − { $need } = { $headroom }
