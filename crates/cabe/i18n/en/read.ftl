# Why a model file found on disk could not be read (cabe scan's skipped files), beside the
# GGUF errors of errors.ftl.

read-no-tensors = has no tensors (a vocab-only or metadata-only file)
