# Restos reescritos a partir de las cifras: la línea del plazo de route --explain, la línea de
# capacidad y el resumen de la máquina de system, y los rechazos de los crates del motor.

route-local-deadline-unknown = plazo de { $time }: no se juzga (no hay cifra de prefill ni de decodificación para esta máquina)
speed-expert-prefill = expertos enrutados: a cada experto le llegan unos { $tokens } tokens por micro-lote de { $batch } (--ubatch), así que sus productos de matrices corren al { $pct } % del ritmo denso
