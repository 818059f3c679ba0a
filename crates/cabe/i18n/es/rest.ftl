# Restos reescritos a partir de las cifras: la línea del plazo de route --explain, la línea de
# capacidad y el resumen de la máquina de system, y los rechazos de los crates del motor.

route-local-deadline-unknown = plazo de { $time }: no se juzga (no hay cifra de prefill ni de decodificación para esta máquina)
speed-expert-prefill = expertos enrutados: a cada experto le llegan unos { $tokens } tokens por micro-lote de { $batch } (--ubatch), así que sus productos de matrices corren al { $pct } % del ritmo denso
doctor-err-at-least-1 = { $flag } debe ser como mínimo 1
doctor-err-catalog-model = --catalog: indica un modelo del catálogo (véase cabe models), p. ej. qwen3-coder-30b-a3b
doctor-err-llama-down = llama-server en { $url } no responde, así que no hay configuración que diagnosticar
doctor-err-no-model = indica un modelo de Ollama (p. ej. cabe doctor qwen3-coder:30b), o da --llama-server URL
doctor-err-llama-ctx = --runtime llama-server necesita el contexto en vigor (su -c): --ctx N
doctor-err-apply-not-file = --apply { $path }: no es un archivo
