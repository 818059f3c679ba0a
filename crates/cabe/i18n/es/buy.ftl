# cabe buy, en español: el encabezado, la tabla, la máquina más barata, los escalones
# siguientes, la afirmación, --explain y las notas.

buy-what = { $model } en { $quant }, contexto de { $ctx } tokens, { $runtime }
buy-what-decode = , decodificación ≥ { $tps } tok/s
buy-what-ttft = , primer token de { $tokens } tokens en { $time } como mucho
buy-what-budget = , presupuesto de { $money }
buy-header = máquinas para { $what }:
buy-col-machine = máquina
buy-col-fits = cabe
buy-col-spare = margen
buy-col-ctx = contexto hasta
buy-col-decode = decodificación tok/s
buy-col-ttft = primer token
buy-col-price = precio
buy-col-per-gb = $/GB
buy-col-per-tps = $ por tok/s
buy-no-price = sin precio
buy-price = { $money } ({ $kind ->
    [list] de lista
   *[street] de mercado
}, { $date })
buy-price-unsourced = { $money } (precio sin fuente)
buy-fit-yes = sí
buy-fit-slow = cabe, demasiado lenta
buy-fit-offload = cabe descargando en la RAM
buy-fit-no = no
buy-over-budget = { $fit }; fuera de presupuesto
buy-more = ({ $n ->
    [one] { $n } máquina más
   *[other] { $n } máquinas más
}; --top N o --json para verlas todas)
buy-offload = caben descargando en la RAM (parte de las capas pasa a la RAM del sistema y esa parte decodifica a la velocidad de la RAM): { $ids }
buy-cheapest = la más barata que cumple: { $name }, { $price }, { $spare } de margen
buy-none-in-budget = ninguna máquina con precio dentro del presupuesto cumple
buy-none = ninguna máquina del catálogo cumple
buy-tier-decode = , decodificación ×{ $ratio }
buy-tier-ctx = , { $sign }{ $tokens } tokens de contexto
buy-tier = {"  "}escalón siguiente a { $id }: { $next } por +{ $money }: margen { $headroom }{ $decode }{ $ctx }
buy-claim = afirmación sobre { $on }: { $text }
buy-claim-over = { $claim } tok/s supera el techo de { $ceiling } tok/s ({ $bw } GB/s ÷ { $gb } GB leídos por token): necesita decodificación especulativa, pesos más pequeños, o no es este modelo
buy-claim-within = { $claim } tok/s está dentro del techo de { $ceiling } tok/s
buy-explain-ranking = orden: primero las máquinas en cuya memoria rápida cabe y que cumplen todos los objetivos de velocidad, de la más barata a la más cara (las que no tienen precio, después); luego las que caben pero son demasiado lentas, las que solo caben descargando en la RAM y las que no caben
buy-explain-source = ; precio: { $url }
buy-explain-units = ; { $units } unidades, { $layers } capas cada una, unidas por { $link } ({ $source }); precio: { $units } × una unidad
buy-explain-meets = cumple con la carga de trabajo
buy-explain-row = {"  "}{ $id }: { $total } de { $usable } utilizables; { $why }{ $source }
buy-miss-offload = cabe descargando en la RAM: { $bytes } de pesos y caché pasan a la RAM del sistema
buy-miss-unit = no cabe: a la unidad más llena le faltan { $bytes } de memoria
buy-miss-no-fit = no cabe: necesita { $total } de { $usable }
buy-miss-decode = decodificación típica de { $tps } tok/s, por debajo de { $min } tok/s
buy-miss-no-bandwidth = no hay cifra de ancho de banda para juzgar la decodificación
buy-miss-ttft = primer token tras { $time } (típico), más de { $max }
buy-miss-no-compute = no hay cifra de cálculo para juzgar el primer token
buy-note = nota: { $note }
buy-note-multi-unit = las filas llamadas Nx-… son N unidades de una máquina unidas por red, ejecutadas como las ejecuta llama.cpp por RPC: capas enteras repartidas a partes iguales, cada unidad con la caché KV de sus capas y su propio búfer de cálculo, y las capas se ejecutan por turnos (decodificación: los mismos bytes con el mismo ancho de banda que una unidad, más unos 0,8 ms de RPC por token y por unidad adicional); el README de RPC de llama.cpp llama a RPC una prueba de concepto, así que estas filas son el mejor caso
buy-note-price = los precios son los de lista de lanzamiento del catálogo (PVP) salvo los marcados como de mercado; los precios de mercado varían, así que compruébalos antes de comprar
buy-note-basis = velocidad a partir de las cifras de catálogo de cada máquina (ancho de banda, cálculo) y de las eficiencias del backend (data/speed.toml), no de una calibración de esta máquina
buy-note-unsourced = { $n ->
    [one] { $n } precio está marcado
   *[other] { $n } precios están marcados
} como «precio sin fuente»: el catálogo los incluye sin una página y una fecha que los respalden
buy-err-usd = «{ $value }» no es una cantidad positiva de USD
buy-err-claimed-decode = --claimed-decode necesita --claim-on ID_DE_HARDWARE (la máquina sobre la que se hace la afirmación)
buy-err-claim-on = --claim-on necesita --claimed-decode TOK_POR_S (el ritmo que se afirma)
buy-name-linked = { $name } unidas por { $link }
buy-err-ctx-max = --ctx max no compara nada (cada máquina admite su propio contexto más largo); indica un número de tokens o `native`
