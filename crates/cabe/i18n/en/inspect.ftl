# cabe inspect: the header summary of a GGUF file, in English.

inspect-summary = GGUF v{ $version } · { $arch } · { $shards } shard(s) · { $tensors } tensors · { $params } params · { $bytes } of tensor data
inspect-no-arch = (no architecture)
inspect-file-type = file type { $id } ({ $name })
inspect-unknown = unknown
inspect-native-ctx = native context { $ctx }
inspect-metadata = metadata ({ $n } keys):
inspect-tensors = tensors:
