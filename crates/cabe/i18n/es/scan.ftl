# cabe scan: los almacenes buscados, la tabla, la línea del veredicto, los totales y los
# errores, en español.

scan-err-special = { $path } es un { $kind }, no un archivo ni una carpeta
scan-err-missing = { $path }: no existe ese archivo o carpeta
scan-progress = leyendo cabeceras
scan-on = en { $machine }
scan-no-stores = no se encontraron almacenes de modelos (Ollama, la caché de Hugging Face, LM Studio, la caché de llama.cpp); indica carpetas o archivos que examinar
scan-searched = buscado en { $places }
scan-no-models = no se encontraron modelos
scan-col-model = modelo
scan-col-from = origen
scan-col-arch = arquitectura
scan-col-size = tamaño
scan-col-quant = cuantización
scan-col-native = contexto nativo
scan-col-max = contexto máx. aquí
scan-col-decode = decodificación
scan-col-verdict = veredicto
scan-verdict = { $verdict ->
    [fits] cabe
    [fits-with-offload] cabe descargando en la CPU
   *[does-not-fit] no cabe
}
scan-verdict-at = veredicto con { $at } en { $runtime }; decodificación: { $note }
scan-at-native = el contexto nativo de cada modelo
scan-at-max = el contexto más largo que cabe en cada modelo
scan-at-tokens = { $tokens } tokens
scan-speed-note = decodificación típica con el contexto vacío, prevista como la prevé `cabe fit` (con la calibración y el historial de bench), que solo se muestra cuando el modelo cabe en la memoria rápida
scan-summary = { $models } { $models ->
    [one] modelo
   *[other] modelos
} de { $files } { $files ->
    [one] cabecera leída
   *[other] cabeceras leídas
}, { $bytes } leídos en { $seconds } s
scan-skipped = omitido: { $error }
