# cabe curve: el título, las notas, las gráficas en la terminal, la línea del tiempo de
# espera, las etiquetas del SVG y los errores, en español.

curve-title = { $model } { $quant } en { $machine }
curve-this-machine = esta máquina ({ $summary })
curve-given-memory = máquina con la memoria indicada
curve-svg-subtitle = { $basis } — en { $machine }
curve-err-max = --prompt-tokens-max debe estar entre { $min } y { $max } (por defecto se usa el contexto nativo del modelo)
curve-err-bandwidth = no hay ancho de banda de memoria para { $machine }: indica una máquina del catálogo (--on ID_DE_HARDWARE){ $calibrate ->
    [yes] {" "}o ejecuta `cabe calibrate`
   *[no] {""}
}
curve-err-writing = al escribir { $path }
curve-note-no-compute = no hay cifra de cálculo para { $machine }: no se dibujan el prefill ni el tiempo hasta el primer token{ $calibrate ->
    [yes] {" "}(ejecuta `cabe calibrate`)
   *[no] {""}
}
curve-note-spill = a partir de unos { $tokens } tokens de contexto el plan se desborda a la RAM del sistema: la decodificación cae
curve-note-no-fit = a partir de unos { $tokens } tokens de contexto el modelo no cabe en esta máquina (los puntos se dibujan como referencia)
curve-series-decode = decodificación en tok/s con este contexto
curve-series-prefill = prefill en tok/s para un prompt así de largo
curve-series-ttft = tiempo hasta el primer token
curve-chart-rates = tokens/s (escala logarítmica)
curve-chart-ttft = tiempo hasta el primer token (escala logarítmica)
curve-chart-timeout = límite
curve-chart-x = tokens de contexto →
curve-legend = { $mark } { $label } (intervalo { $band })
curve-written = gráfica escrita en { $path }
curve-cross = tiempo de espera de { $timeout }: los prompts de más de unos { $tokens } tokens reciben su primer token después{ $range }
curve-cross-between = {" "}(entre { $from } y { $to } según el intervalo de prefill)
curve-cross-from = {" "}(desde { $from } con el prefill más lento; no antes de { $max } con el más rápido)
curve-cross-slowest = tiempo de espera de { $timeout }: normalmente no se alcanza hasta { $max } tokens; con el prefill más lento, desde { $from } tokens
curve-cross-never = tiempo de espera de { $timeout }: el primer token llega antes para todo prompt de hasta { $max } tokens
curve-svg-decode = decodificación en tok/s (con este contexto)
curve-svg-prefill = prefill en tok/s (prompt así de largo)
curve-svg-rates = tokens / s
curve-svg-key = línea: típico · banda: intervalo previsto
curve-svg-timeout = tiempo de espera { $timeout }
curve-svg-crossed = se supera en ≈{ $tokens } tokens
curve-svg-x = tokens de contexto (longitud del prompt), escala logarítmica
