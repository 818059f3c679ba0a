# Los hallazgos de cabe doctor, el arreglo y los ajustes en vigor, en español.
# Los números llegan ya escritos a la española (131.072; 17,3 GB); las órdenes, opciones,
# variables e identificadores no se traducen. Cada mensaje ocupa una línea.

## Una configuración en palabras, y su memoria

setup-words = { $ctx } tokens × { $slots } { $slots ->
    [one] ranura
   *[other] ranuras
}, KV { $kv }{ $fa ->
    [off] , flash attention desactivada
   *[on] {""}
}
memory-fits = cabe, con { $spare } de margen
memory-spills = solo cabe volcando { $spill } a la RAM del sistema
memory-short = no cabe, faltan { $short }
memory-summary = { $setup }: necesita { $total } ({ $total_bin }: pesos { $weights } + KV { $kv } + cálculo y reservas { $rest }) de { $cap } disponibles → { $tail }

## Cómo se conoce el tamaño del prompt

count-counted = {" "}(contados por { $by })
count-estimated = {" "}(una estimación: { $bytes } bytes ÷ 4)

## De dónde sale cada ajuste en vigor

src-request-num-ctx = options.num_ctx { $n } enviado con cada petición
src-num-ctx-param = PARAMETER num_ctx { $n } en { $where }
src-context-length-env = OLLAMA_CONTEXT_LENGTH={ $n } de { $where }; el modelo no fija num_ctx
src-default-ctx = no hay num_ctx en ninguna parte, así que { $words }{ $assumed ->
    [yes] {" "}(versión supuesta)
   *[no] {""}
}
src-fa-auto = auto: activada donde el backend la admite (se supone activada)
src-kv-fa-off = f16: flash attention está desactivada
src-kv-default = f16, el valor por defecto de Ollama
src-parallel-default-invalid = 1 por defecto
src-parallel-unset = OLLAMA_NUM_PARALLEL sin definir: { $why }{ $assumed ->
    [yes] {" "}(versión supuesta)
   *[no] {""}
}
src-parallel-auto-too-many = OLLAMA_NUM_PARALLEL sin definir: { $why }; con { $slots } no cabe, así que 1
src-llama-ctx = n_ctx por ranura, de { $from }
src-llama-slots = total_slots, de { $from }
src-llama-kv = valor por defecto de llama-server ({ $from } no lo indica)
src-llama-fa = valor por defecto de llama-server, -fa auto ({ $from } no lo indica)
parallel-before-0-2 = antes de v0.2.0 Ollama atendía una petición cada vez
parallel-0-2 = v0.2.0–v0.6.6: auto, 4 ranuras (1 si la memoria va justa)
parallel-0-6-7 = v0.6.7–v0.9.x: auto, 2 ranuras (1 si la memoria va justa)
parallel-0-10 = v0.10.0+: 1 ranura
ctx-default-fixed = valor por defecto de Ollama { $range }: { $tokens }
ctx-default-raised = valor por defecto de Ollama { $range }: { $tokens }, elevado a { $raised } para { $arch } con ≥ { $gib } GiB de VRAM
ctx-default-vram = valor por defecto de Ollama { $range } según la VRAM total ({ $gib } GiB: ≥ 47 GiB → 262144, ≥ 23 GiB → 32768, si no 4096): { $tokens }
note-version-unrecognised = versión de Ollama '{ $version }' no reconocida: se suponen los valores por defecto actuales (v0.15.5+)
note-version-unknown = versión de Ollama desconocida (el servidor no responde; --ollama-version X.Y.Z la fija): se suponen los valores por defecto actuales (v0.15.5+)
note-context-length-ignored = Ollama { $version } no tiene en cuenta OLLAMA_CONTEXT_LENGTH={ $n } (existe desde v0.5.13)
note-prefill-rate = indica --prefill-rate (tokens/s: la cifra pp de llama-bench, o timings.prompt_per_second de llama-server) para comparar el tiempo de prefill con --timeout

## Hallazgos

env-invalid-title = { $var }={ $value } no es válido
env-invalid-message = { $var } vale '{ $value }' ({ $source }), un valor que Ollama no acepta: vuelve a su valor por defecto.
env-invalid-fix = Pon { $var } a { $expected }, o quítala.
expected-bytes = un número de bytes
expected-tokens = un número de tokens
expected-bool = 1 o 0
expected-kv = f16, q8_0 o q4_0
expected-slots = un número de ranuras ≥ 1

ctx-over-native-title = el contexto configurado, { $configured }, supera los { $native } del modelo
ctx-over-native-message = El contexto configurado es de { $configured } tokens ({ $source }), más que los { $native } del modelo ({ $arch }.context_length). El Ollama actual lo recorta a { $native } (las versiones antiguas se negaban a cargarlo: "requested context size too large for model").
ctx-over-native-fix = Pon num_ctx a { $native_raw } como mucho.

kv-type-ignored-title = OLLAMA_KV_CACHE_TYPE={ $value } no tiene efecto con flash attention desactivada
kv-type-ignored-message = OLLAMA_KV_CACHE_TYPE={ $value } está definida, pero Ollama solo la aplica con flash attention activada, y OLLAMA_FLASH_ATTENTION está desactivada: la caché sigue en f16.
kv-type-ignored-fix = Define también OLLAMA_FLASH_ATTENTION=1 (y reinicia el servidor).

removed-parameter-title = PARAMETER { $name } no hace nada
removed-parameter-message = PARAMETER { $name } { $value } está puesto, pero Ollama eliminó { $name } en { $since }: se ignora.
removed-parameter-fix = Quita PARAMETER { $name } del Modelfile.

setup-refused-title = llama.cpp no cargará el modelo con estos ajustes de caché
setup-refused-message = { $why } ({ $setup }).
setup-refused-fix = Usa una caché KV f16, o activa flash attention con un mismo tipo cuantizado para K y V.

ctx-below-native-title = el contexto configurado, { $ctx }, está por debajo de los { $native } nativos del modelo
ctx-below-native-message = { $model } funciona con un contexto de { $ctx } tokens ({ $source }), pero el modelo en sí admite { $native } ({ $arch }.context_length en su GGUF): { $ctx } es el { $pct } % de { $native }. La etiqueta o el Modelfile que se eligieron al instalarlo son un techo fijo, no una propiedad del modelo.
ctx-below-native-fix-raise = Sube el contexto a { $ctx }{ $full ->
    [yes] {" "}(el contexto completo del modelo)
   *[no] {""}
}: en esta máquina, { $summary }.
ctx-below-native-fix-enough = No hay nada que hacer para este prompt ({ $ctx } tokens de contexto lo contienen y dejan sitio para la respuesta).
ctx-below-native-fix-enough-upto = No hay nada que hacer para este prompt ({ $ctx } tokens de contexto lo contienen y dejan sitio para la respuesta); si los prompts crecen, esta máquina admite hasta { $setup }.
ctx-below-native-fix-memory = Aquí el límite es la memoria: esta máquina admite como mucho { $ctx } tokens de este modelo ({ $setup }).
ctx-below-native-fix-no-more = Aquí el límite es la memoria: esta máquina no admite más contexto con este modelo.

prompt-over-native-title = el prompt de { $prompt } tokens supera el máximo del modelo, { $native }
prompt-over-native-message = El prompt tiene { $prompt } tokens{ $count }, { $over } más que los { $native } para los que se construyó el modelo ({ $prompt } − { $native } = { $over }). Ningún ajuste lo contiene: más allá de context_length, las posiciones del modelo no están entrenadas.
prompt-over-native-fix = Envía menos: recorta al menos { $cut } tokens (compacta la conversación, envía menos archivos o más pequeños), o usa un modelo con un contexto más largo.

prompt-over-ctx-title = el prompt de { $prompt } tokens se pasa en { $over } del contexto de { $ctx } tokens
prompt-over-ctx-message = El prompt tiene { $prompt } tokens{ $count } y se pasa en { $over } del contexto de { $ctx } tokens ({ $prompt } − { $ctx } = { $over }). { $what }
prompt-over-ctx-ollama = Ollama no lo rechaza: /api/chat descarta en silencio los mensajes más antiguos hasta que el resto cabe (conserva el prompt de sistema y el último mensaje), y los runners antiguos cortan el prompt a partir de num_keep tokens: el modelo responde sin parte de su entrada. El Ollama basado en llama-server responde en cambio HTTP 400 cuando el desplazamiento de contexto está desactivado.
prompt-over-ctx-llama = llama-server responde HTTP 400 ("the request exceeds the available context size") o, con --context-shift, descarta tokens del principio.
prompt-over-ctx-fix-holds = Un contexto de { $ctx } tokens lo contiene y deja { $left } tokens para la respuesta; { $runtime ->
    [ollama] mira el Modelfile más abajo
   *[other] mira las opciones de llama-server más abajo
}.
prompt-over-ctx-fix-machine = Esta máquina admite como mucho { $ctx } tokens de contexto ({ $setup }); envía al menos { $cut } tokens menos, o usa una máquina con más memoria.
prompt-over-ctx-fix-shorten = Acorta el prompt (mira prompt-over-native).

prefill-title = el prefill tarda { $secs } s, { $over ->
    [yes] más que
   *[no] cerca de
} los { $timeout } s de espera del cliente
prefill-message = Solo el prefill lleva { $prompt } tokens ÷ { $rate } tokens/s = { $secs } s ({ $duration }){ $source ->
    [none] {""}
   *[other] {" "}al ritmo de { $source }
}, { $over ->
    [yes] { $by } s más que los { $timeout } s de espera del cliente: la petición se corta
   *[no] a menos de un 20 % de los { $timeout } s de espera del cliente: la petición puede cortarse
} antes del primer token de la respuesta.
prefill-fix = Sube el tiempo de espera de las peticiones del cliente a { $suggest } s como mínimo ({ $duration }): el prefill más la mitad para la respuesta, redondeado al minuto. Los turnos siguientes que reutilizan el prefijo en caché solo procesan los tokens nuevos.
prefill-fix-shorter = {" "}O envía un prompt más corto: en { $timeout } s a { $rate } tokens/s el prefill lee como mucho { $max } tokens ({ $rate } × { $timeout }), antes de empezar la respuesta.
source-prefill-predicted = una predicción a partir del cálculo de la máquina (típica; intervalo { $low }–{ $high } tokens/s)

never-fits-title = el modelo no cabe en esta máquina con ningún ajuste
never-fits-message = Incluso con un contexto de 256 tokens, una ranura y una caché KV q4_0, el modelo necesita { $total }: solo sus pesos ocupan { $weights }, y la máquina tiene { $cap }{ $offload ->
    [yes] {" "}contando la RAM del sistema para la descarga
   *[no] {""}
}.
never-fits-fix-smaller = Usa un archivo más pequeño: en { $quant } los pesos ocupan { $weights } y un contexto de { $ctx } tokens necesita { $total } en total, que cabe en esta máquina{ $offload ->
    [yes] {" "}descargando en la CPU
   *[no] {""}
}. O una máquina con más memoria.
never-fits-fix-none = Ninguna cuantización de este modelo cabe en esta máquina; usa un modelo más pequeño o una máquina con más memoria.

memory-over-title = { $setup } necesita { $total } y la máquina tiene { $cap }
memory-over-message = Con { $setup } el modelo necesita { $total } (pesos { $weights } + KV { $kv } + cálculo y reservas) y la máquina da { $cap }: faltan { $short }. Ollama se niega a cargarlo, o el sistema recurre al intercambio (swap).
memory-over-fix-target = Para que quepa: { $summary }.
memory-over-fix-smaller = Usa una cuantización más pequeña o una máquina con más memoria.
memory-spill-title = { $on_cpu } de { $layers } capas se vuelcan a la RAM del sistema
memory-spill-message = Con { $setup } el modelo necesita { $total } (pesos { $weights } + KV { $kv } + cálculo y reservas), pero en las GPU caben { $fast }: los excede en { $over }, así que unas { $on_cpu } de { $layers } capas funcionan desde la RAM del sistema (llama.cpp deja las últimas capas en la GPU y vuelca las primeras).{ $cost }
memory-spill-cost = {" "}La decodificación con el contexto vacío baja de unos { $all } a { $split } tokens/s (típico): el { $pct } % de los bytes leídos por token sale de la RAM del sistema, a su ancho de banda, y los dispositivos trabajan por turnos.
memory-moe-speed = , y la decodificación va a unos { $moe } tokens/s (típico) en vez de { $split }
memory-moe = arranca llama-server con --n-cpu-moe { $layers }: los expertos enrutados de las primeras { $layers } capas ({ $experts }) se quedan en la RAM del sistema y todo lo demás en la GPU ({ $gpu } de { $fast }){ $speed }.
memory-moe-or = { $fix } O mantén estos ajustes y { $moe }
memory-moe-keep = Mantén estos ajustes y { $moe } Si no, usa una cuantización más pequeña o una máquina con más memoria.

parallel-launch-ollama = Ollama arranca su runner con -c { $ctx } × { $slots } = { $total } -np { $slots }
parallel-launch-llama = llama-server funciona con { $slots } ranuras
parallel-title = { $slots } ranuras paralelas multiplican la caché KV por { $slots }
parallel-message = { $launch } ({ $source }): cada ranura guarda el contexto completo, así que la caché KV ocupa { $slots } × { $one } = { $all } en vez de { $one }{ $matters ->
    [yes] ; con una ranura el modelo cabe
   *[no] {""}
}.
parallel-fix-ollama = Si un solo cliente envía una petición cada vez (como hace un agente de programación), define OLLAMA_NUM_PARALLEL=1 en el servidor y reinícialo.
parallel-fix-llama = Si un solo cliente envía una petición cada vez, arranca llama-server con -np 1.

kv-fits-title = { $change } hace que quepa un contexto de { $ctx } tokens
kv-fits-message = Con { $ctx } tokens la caché KV ocupa { $without } en { $kv_now }, pero { $with } en { $kv_new }{ $fa ->
    [yes] {" "}y con flash attention activada (una caché V cuantizada la necesita, y sin ella las puntuaciones de atención de un contexto largo se materializan)
   *[no] {""}
}; el total pasa a { $total } de { $cap }.
kv-fits-fix = Aplica { $change }{ $runtime ->
    [ollama] {" "}en el servidor de Ollama (es global y solo se aplica con flash attention activada) y reinícialo
   *[other] {""}
}. Una caché q8_0 apenas cuesta calidad; q4_0, algo más.

store-broken-title = una capa de { $model } está dañada en el almacén
store-broken-message = { $layer }: { $problem }. Ollama no puede cargar un modelo con una capa dañada.
store-broken-fix = Vuelve a descargar el modelo (ollama pull { $model }), o recréalo desde su Modelfile.

server-title = { $server } no respondió como debía
server-fix = Comprueba que el servidor es el que crees (OLLAMA_HOST / --llama-server), que no está atascado cargando un modelo, y reinícialo si se cuelga.

loaded-ctx-title = { $model } está cargado con un contexto de { $loaded } tokens, no de { $ctx }
loaded-ctx-message = /api/ps muestra { $model } funcionando con context_length { $loaded }, mientras que su configuración da { $ctx } ({ $source }): algún cliente envió otro options.num_ctx, o el entorno del servidor no es el de esta shell.
loaded-ctx-fix = Revisa el options.num_ctx del cliente y el entorno propio del servidor (systemctl show ollama -p Environment).

loaded-offload-all-cpu = 100 % CPU
loaded-offload-split = { $cpu } %/{ $gpu } % CPU/GPU
loaded-offload-title = { $model } funciona al { $placement }
loaded-offload-message = /api/ps: { $model } está cargado con un tamaño de { $size }, de los que { $vram } están en VRAM, así que { $cpu } ({ $placement } en `ollama ps`) funcionan desde la RAM del sistema y se leen a su ancho de banda en cada token.
loaded-offload-fix = Baja num_ctx, usa OLLAMA_KV_CACHE_TYPE=q8_0 con flash attention, o una cuantización más pequeña, hasta que cargue al 100 % en GPU.

## El arreglo

modelfile-comment = # Escrito por cabe doctor: { $model } con un contexto de { $ctx } tokens.
modelfile-memory = # Memoria en esta máquina: { $summary }
fix-step-write = Escribe el Modelfile ({ $path }): FROM { $model } conserva sus pesos, su plantilla y sus parámetros; PARAMETER num_ctx { $ctx } sustituye el contexto.
fix-step-create = Ejecuta: ollama create { $new } -f { $path } (no copia pesos: el modelo nuevo apunta a los mismos blobs).
fix-step-point = Apunta el cliente a { $new }. Un cliente también puede enviar options.num_ctx = { $ctx } en cada petición, lo que prevalece sobre el Modelfile.
fix-why-fa = flash attention: búfer de cálculo más pequeño con contextos largos; necesaria para una caché KV cuantizada
fix-why-kv = una caché KV { $kv } guarda el contexto en menos memoria
fix-why-slots = una ranura: la caché KV no se multiplica
fix-step-env = En el servidor de Ollama define { $vars } y reinícialo (systemd: systemctl edit ollama → Environment=…; app de macOS: launchctl setenv …).
fix-step-llama = Reinicia llama-server con { $flags } (con un -np explícito, cada ranura recibe -c ÷ np tokens).
fix-step-timeout = Pon el tiempo de espera de las peticiones del cliente a { $secs } s ({ $duration }).
fix-step-memory = Comprobación de memoria: { $summary }.
