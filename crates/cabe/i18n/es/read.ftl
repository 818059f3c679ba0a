# Por qué no se pudo leer un archivo de modelo encontrado en el disco (los archivos que omite
# cabe scan), además de los errores GGUF de errors.ftl.

read-no-tensors = no tiene tensores (un archivo solo de vocabulario o de metadatos)
