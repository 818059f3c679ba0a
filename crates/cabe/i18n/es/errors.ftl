# Los errores que imprime la línea de órdenes («cabe: error: …»), en español. El texto inglés
# de un error es el que llevan --json, la API web (cabe serve) y las herramientas MCP; aquí solo
# cambia lo que se imprime para una persona.

error-line = cabe: error: { $message }
error-usage = cabe: error: { $message } (véase --help)

## Valores de las opciones

flag-lang = '{ $value }' no es un idioma que cabe hable (en, es)
flag-ctx = '{ $value }' no es un número de tokens, ni `native` ni `max`
flag-ctx-range = { $value } está fuera del rango (de 1 a { $max } tokens)
flag-tokens = '{ $value }' no es un número de tokens
flag-tokens-range = { $value } está fuera del rango (de 0 a { $max } tokens)
flag-kv-type = tipo de KV desconocido '{ $value }' (uno de: { $names })
flag-runtime = programa desconocido '{ $value }' (uno de: { $names })
flag-on-off = '{ $value }' no es `on` ni `off`
flag-duration = '{ $value }' no es una duración (p. ej., 300s, 5m o 1m30s)
flag-size = '{ $value }' no es un tamaño (p. ej., 64GB o 24GiB; unidades B, MiB, GiB, MB, GB, TB)
flag-rate = '{ $value }' no es un número positivo de tokens por segundo

## Modelos y máquinas

error-memory-zero = --memory debe ser mayor que 0
error-remote-timeout = CABE_REMOTE_TIMEOUT={ $value } no es una duración (30, 30s, 2m)
error-remote-max-bytes = CABE_REMOTE_MAX_BYTES={ $value } no es un número de bytes
error-quant-on-file = --quant se aplica a los modelos del catálogo; un archivo GGUF se dimensiona por los tipos de sus propios tensores
error-not-sizable = { $location } no es un modelo que cabe pueda dimensionar
error-unknown-quant = cuantización desconocida '{ $value }' (una de: { $names })
error-unknown-model = modelo desconocido '{ $query }'
error-unknown-hardware = máquina desconocida '{ $query }'
error-did-you-mean = ; parecidos: { $ids }

## Archivos GGUF

error-gguf-open = no se puede abrir: { $reason }
error-io-not-found = no existe el archivo o la carpeta
error-io-permission = permiso denegado
error-gguf-directory = { $path } es una carpeta, no un archivo
error-gguf-not-a-file = { $path } es un archivo especial, no un archivo normal
error-gguf-truncated = GGUF truncado: hacían falta { $needed } bytes en la posición { $offset }, y el archivo tiene { $size }
error-gguf-magic = no es un archivo GGUF (sus primeros bytes no son "GGUF")
error-gguf-v1 = archivo GGUF v1: llama.cpp ya no carga GGUF v1 (conviértelo de nuevo con un convert_hf_to_gguf.py actual)
error-gguf-version = versión de GGUF { $version } no admitida: este lector admite las versiones 2 y 3
error-gguf-missing-shard = modelo dividido: falta la parte { $shard } de { $count } (se esperaba { $path })
error-spec-no-architecture = el GGUF no tiene la clave general.architecture: no es un archivo de modelo
error-spec-missing = a la arquitectura GGUF '{ $arch }' le falta { $key }
error-spec-not-a-model = el GGUF es un archivo de tipo { $kind }, no un modelo (general.type = { $kind })
error-spec-range = el valor GGUF { $key } = { $value } está fuera de rango

## Errores de uso (clap solo habla inglés; aquí se reformulan los habituales)

error-clap-unknown-argument = argumento inesperado `{ $arg }`
error-clap-unknown-command = orden desconocida `{ $command }`
error-clap-value-required = `{ $arg }` necesita un valor y no se ha dado ninguno
error-clap-invalid-value = valor no válido '{ $value }' para `{ $arg }`
error-clap-possible-values = { " " }[valores posibles: { $values }]
error-clap-value-validation = valor no válido '{ $value }' para `{ $arg }`: { $reason }
error-clap-missing = faltan argumentos obligatorios: { $args }
error-clap-conflict = el argumento `{ $arg }` no se puede usar con `{ $other }`
error-clap-repeated = el argumento `{ $arg }` no se puede usar más de una vez

# Los enteros que clap lee por sí mismo (--port y similares).
error-not-an-integer = { $kind ->
    [empty] falta el número
    [too-large] el número es demasiado grande
    [too-small] el número es demasiado pequeño
   *[invalid] no es un número entero
}
error-out-of-range = { $value } no está en { $range }
