# cabe inspect: el resumen de la cabecera de un archivo GGUF, en español.

inspect-summary = GGUF v{ $version } · { $arch } · { $shards } { $shards ->
    [one] fragmento
   *[other] fragmentos
} · { $tensors } tensores · { $params } parámetros · { $bytes } de datos de tensores
inspect-no-arch = (sin arquitectura)
inspect-file-type = tipo de archivo { $id } ({ $name })
inspect-unknown = desconocido
inspect-native-ctx = contexto nativo { $ctx }
inspect-metadata = metadatos ({ $n } { $n ->
    [one] clave
   *[other] claves
}):
inspect-tensors = tensores:
