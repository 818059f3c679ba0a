# cabe recommend, en español: el encabezado, la tabla, los motivos, los que se quedan cerca
# y --explain.

recommend-use = { $purpose ->
    [general] uso general
    [chat] chat
    [code] código
    [reasoning] razonamiento
    [long-context] contexto largo
    [agents] agentes
   *[other] { $purpose }
}
recommend-header = para { $purpose } en { $machine } ({ $usable } utilizables), contexto de { $ctx } tokens, { $runtime }:
recommend-nothing = nada del catálogo cabe con estas restricciones.
recommend-col-model = modelo
recommend-col-quant = cuantización
recommend-col-memory = memoria
recommend-col-spare = margen
recommend-col-ctx = contexto hasta
recommend-col-decode = decodificación tok/s
recommend-col-ttft = primer token
recommend-col-quality = calidad
recommend-not-measured = sin medir
recommend-loss = +{ $pct } % ppl
recommend-why-moe = MoE de { $total } mil millones de parámetros ({ $active } mil millones activos; cuenta como { $eff } mil millones)
recommend-why-dense = { $total } mil millones de parámetros
recommend-why-loss = { $quant } (+{ $pct } % de perplejidad)
recommend-why-unmeasured = { $quant } (pérdida sin medir)
recommend-why-made-for = ; pensado para { $purpose }
recommend-why = { $size } en { $quant }{ $made_for }; ordenado por tamaño, pérdida de la cuantización y velocidad (no hay ninguna puntuación publicada registrada)
recommend-near-misses = se quedan cerca (no caben aquí con ninguna cuantización):
recommend-near-miss-change = cabe con { $flag } ({ $spare } de margen)
recommend-near-miss-none = ningún cambio por sí solo hace que quepa
recommend-near-miss = { $model } en { $quant }: { $total } de { $cap }; { $change }
recommend-explain-score = orden (docs/recommend.md): puntuación = log2(miles de millones de parámetros efectivos; un modelo MoE cuenta sqrt(total × activos))
recommend-explain-use = {"  "}+ 1 si la familia está pensada para { $purpose } (data/uses.toml)
recommend-explain-loss = {"  "}− 0,1 × el aumento de perplejidad de la cuantización sobre F16 en % (data/quality.toml; los tipos sin medir cuentan un { $pct } %)
recommend-explain-slow = {"  "}− { $weight } × log2(cómodo ÷ decodificación) por debajo de { $tps } tok/s; cada modelo en la cuantización que cabe con mejor puntuación
recommend-left-out = {"  "}se deja fuera { $id }: { $why }
recommend-out-not-chat = un modelo de tipo { $kind } no sirve para conversar
recommend-out-family = la familia { $family } no es { $want }
recommend-out-license = la licencia { $license } no es { $want }
recommend-out-native-ctx = su contexto nativo ({ $native }) es menor que los { $want } tokens pedidos
recommend-out-runtime = el runtime rechaza su configuración
recommend-err-min-ctx = --min-ctx debe estar entre 256 y 67.108.864 tokens
