# La tabla, las líneas de progreso, las notas y los errores de cabe bench, en español.

bench-header = { $model } con { $server } en { $url } ({ $server }{ $version })
bench-predicted-for = previsto para { $source } en { $machine }
bench-no-model = (sin modelo)
bench-col-prompt = prompt
bench-col-prefill = prefill tok/s
bench-col-predicted = previsto
bench-col-first-token = primer token
bench-col-decode = decodificación tok/s
bench-legend = × = medido ÷ previsto (típico); { $gen } tokens generados tras cada prompt; prompts medidos { $exact ->
    [yes] con el tokenizador del servidor
   *[no] por estimación (Ollama no tiene un endpoint de tokenización)
}
bench-stored = guardada como ejecución { $id } en { $path }
bench-not-stored = no se guarda (--no-save)
bench-corrected = las predicciones posteriores para esta máquina y backend se corrigen con { $runs } { $runs ->
    [one] ejecución medida
   *[other] ejecuciones medidas
}: { $parts }
bench-factor-decode = ×{ $factor } decodificación
bench-factor-prefill = ×{ $factor } prefill

## Progreso (el mensaje de la barra)

bench-progress-warm-up = calentando { $model } con { $server } en { $url }
bench-progress-prompt = prompt de { $tokens } tokens{ $eta }
bench-progress-eta = , ~{ $time } previstos

## Notas

bench-note-remote = { $url } no está en esta máquina: se compara con las cifras de esta máquina (--on HARDWARE_ID para indicar la del servidor)
bench-note-no-prediction = sin predicción: { $error } (indica --predict-as MODELO)
bench-note-capped = { $sizes } superan el contexto de { $ctx } tokens: se recortan (--ctx{ $llama_server ->
    [yes] , o reinicia llama-server con un -c mayor,
   *[no] {""}
} para subirlo)
bench-note-stopped-early = el modelo dejó de generar antes de tiempo: las cifras de decodificación se basan en pocos tokens

## De dónde salen las cifras de la predicción

bench-source-file = el archivo de modelo del servidor { $path }
bench-source-show = /api/show de Ollama para { $model } (metadatos y tensores)

## Errores

bench-size-not-number = --prompt-sizes: '{ $part }' no es un número de tokens
bench-size-range = --prompt-sizes: { $part } está fuera de rango (de 1 a 16M tokens)
bench-sizes-empty = --prompt-sizes: indica al menos un tamaño
bench-gen-tokens-range = --gen-tokens debe estar entre 1 y 4096
bench-no-room = el contexto ({ $ctx }) no deja sitio para un prompt y { $gen } tokens generados
bench-prompt-failed = el prompt de { $tokens } tokens

## Los errores del servidor (ServerError de cabe-bench, redactados de nuevo a partir de sus campos)

bench-server-or = {" "}o{" "}
bench-server-down = ningún servidor responde en { $url } ({ $detail }); arranca llama-server u Ollama, o indica --url
bench-server-slow = { $server } en { $url } no respondió a { $endpoint } en { $secs } s{ $hint ->
    [loading] {" "}(colgado, o aún cargando el modelo)
    [generating] {" "}(un prompt largo en una máquina lenta puede tardar minutos: sube --timeout)
   *[none] {""}
}
bench-server-status = { $server } en { $url } respondió a { $endpoint } con HTTP { $status }: { $message }
bench-server-malformed = { $server } en { $url } respondió a { $endpoint } con algo que no es su JSON: { $detail }
bench-server-too-large = { $server } en { $url } envió una respuesta a { $endpoint } de más de { $limit } bytes
bench-server-broken = { $server } en { $url } dejó de responder durante { $endpoint } (se cerró, cortó la conexión o envió algo que no es HTTP): { $detail }
bench-server-bad-url = URL de servidor incorrecta '{ $url }': { $detail }
