# Las palabras de cabe mcp en español: las instrucciones del servidor, las descripciones de las
# herramientas y de sus esquemas de entrada, y sus negativas. Los nombres de los campos, los
# ids y los valores (ollama, llama-server, Q4_K_M…) no se traducen.

mcp-instructions = cabe dimensiona los LLM locales como los carga llama.cpp. Antes de enviar un prompt largo a un modelo local, llama a check_prompt: dice si el prompt cabe en el contexto en vigor y llega antes del tiempo de espera del cliente, y qué cambiar si no. fit y recommend responden para modelos del catálogo en una máquina, plan reparte uno entre varias GPU o equipos; doctor diagnostica un modelo de Ollama instalado o un llama-server en marcha.

## Negativas (el error de una herramienta, en una línea)

mcp-refuse-both = indica model u ollama_model, no ambos
mcp-refuse-no-model = nombra el modelo: model (un id del catálogo, con ctx y runtime) u ollama_model (un modelo de Ollama instalado)
mcp-refuse-prompt-tokens = prompt_tokens: hace falta el tamaño del prompt
mcp-refuse-not-string = { $field }: debe ser una cadena de texto
mcp-refuse-model-required = { $field }: hace falta un id o alias de modelo del catálogo
mcp-refuse-path = { $field }: '{ $value }' es una ruta de archivo o una URL; nombra un modelo del catálogo (cabe models)
mcp-refuse-unknown-field = campo desconocido '{ $field }' (se conocen: { $known })
mcp-refuse-not-bool = { $field }: debe ser true o false
mcp-refuse-not-value = { $field }: debe ser una cadena de texto o un número
mcp-tool-failed = la herramienta falló: { $error }

## Herramientas (mcp-tool-NOMBRE), sus esquemas de entrada (mcp-input-NOMBRE), sus campos
## (mcp-param-NOMBRE-CAMPO) y los tipos de valor comunes (mcp-def-TIPO)

mcp-tool-check-prompt = ¿Cabe un prompt de N tokens en el contexto en vigor de este modelo, y llega antes del tiempo de espera del cliente? Los problemas (los hallazgos de doctor: ctx-below-native, prompt-over-ctx, prefill-over-timeout, …) y qué cambiar. Nombra el modelo como `model` del catálogo con la configuración indicada (`ctx`, `runtime`), o como `ollama_model` instalado, leído de su almacén y su servidor.
mcp-input-check-prompt = `check_prompt`: ¿cabe un prompt en el contexto en vigor, y llega antes del tiempo de espera? El modelo se nombra de una de dos maneras: `model` (un modelo del catálogo, con la configuración indicada aquí: `ctx`, `runtime`, `quant`) u `ollama_model` (un modelo de Ollama instalado, cuyo contexto en vigor se lee de su almacén y su servidor).
mcp-param-check-prompt-ctx = Con model: el contexto en vigor, tokens por secuencia (Ollama: el num_ctx del modelo, por defecto el de la versión; llama-server: su -c, obligatorio).
mcp-param-check-prompt-memory = Una máquina de la que solo se conoce la memoria: 64GB, 24GiB ("GB" como se vende = GiB salvo con si).
mcp-param-check-prompt-model = Un id o alias de modelo del catálogo (qwen3-coder-30b-a3b, o su nombre de Ollama qwen3-coder:30b), dimensionado desde el catálogo. No junto con ollama_model.
mcp-param-check-prompt-models-dir = El almacén de modelos de Ollama (por defecto $OLLAMA_MODELS, si no ~/.ollama/models).
mcp-param-check-prompt-num-ctx = El options.num_ctx que el cliente envía con cada petición (prevalece sobre el Modelfile).
mcp-param-check-prompt-offline = No preguntar a ningún servidor; leer solo el almacén.
mcp-param-check-prompt-ollama-host = El servidor de Ollama al que preguntar (por defecto $OLLAMA_HOST, si no 127.0.0.1:11434).
mcp-param-check-prompt-ollama-model = Un modelo de Ollama instalado, nombre[:etiqueta] (qwen3-coder:30b-v-128k), leído de su almacén y su servidor. No junto con model.
mcp-param-check-prompt-ollama-version = La versión de Ollama instalada cuando no se puede preguntar al servidor (fija los valores por defecto).
mcp-param-check-prompt-on = Un id de máquina del catálogo (véase el catálogo de hardware, `cabe hardware`), p. ej. mac-studio-m3-ultra-96gb. No junto con memory.
mcp-param-check-prompt-os-reserve = Memoria reservada para el sistema operativo, por defecto 2GiB.
mcp-param-check-prompt-prefill-rate = Velocidad de prefill, tokens/s (el pp de llama-bench, timings.prompt_per_second de llama-server); por defecto: la prevista a partir del cálculo de la máquina.
mcp-param-check-prompt-prompt-tokens = El tamaño del prompt, en tokens.
mcp-param-check-prompt-quant = Con model: la cuantización de todo el archivo, Q4_K_M (por defecto), Q8_0, F16, …
mcp-param-check-prompt-runtime = Con model: ollama (por defecto) o llama-server.
mcp-param-check-prompt-si = Leer GB/MB/TB como potencias de 10.
mcp-param-check-prompt-timeout = El tiempo de espera de las peticiones del cliente: segundos, o "300s", "5m".
mcp-def-NumberOrText = Un valor escrito como número (32768, 300) o como texto ("32k", "5m", "64GB").

mcp-tool-doctor = Diagnostica un modelo de Ollama instalado (su almacén, su servidor, las variables OLLAMA_*) o un llama-server en marcha frente a una carga de trabajo y la máquina: los ajustes en vigor, los hallazgos (truncado, tiempos de espera, memoria) y el arreglo escrito (lo que imprime `cabe doctor --json`). El arreglo se muestra, nunca se aplica.
mcp-input-doctor = `doctor`: diagnostica un modelo de Ollama o un llama-server en marcha. Muestra el arreglo; nunca lo escribe.
mcp-param-doctor-catalog = model es un id o alias de modelo del catálogo, dimensionado desde el catálogo con la configuración indicada (ctx, runtime, quant); no se lee ningún almacén ni servidor.
mcp-param-doctor-ctx = Con catalog: el contexto en vigor, tokens por secuencia.
mcp-param-doctor-http-timeout = Tiempo límite de conexión y lectura con los servidores: segundos o "2s" (por defecto 2 s).
mcp-param-doctor-llama-server = La URL de un llama-server: se diagnostica cuando no se nombra ningún modelo de Ollama.
mcp-param-doctor-memory = Una máquina de la que solo se conoce la memoria: 64GB, 24GiB ("GB" como se vende = GiB salvo con si).
mcp-param-doctor-model = El modelo de Ollama, nombre[:etiqueta] (p. ej. qwen3-coder:30b); con llama_server: opcional, o la ruta del GGUF que ejecuta ese servidor.
mcp-param-doctor-models-dir = El almacén de modelos de Ollama (por defecto $OLLAMA_MODELS, si no ~/.ollama/models).
mcp-param-doctor-name = Nombre del modelo de Ollama corregido (por defecto: a partir de la etiqueta anterior).
mcp-param-doctor-num-ctx = El options.num_ctx que el cliente envía con cada petición (prevalece sobre el Modelfile).
mcp-param-doctor-offline = No preguntar a ningún servidor; leer solo el almacén.
mcp-param-doctor-ollama-host = El servidor de Ollama al que preguntar (por defecto $OLLAMA_HOST, si no 127.0.0.1:11434).
mcp-param-doctor-ollama-version = La versión de Ollama instalada cuando no se puede preguntar al servidor (fija los valores por defecto).
mcp-param-doctor-on = Un id de máquina del catálogo (véase el catálogo de hardware, `cabe hardware`), p. ej. mac-studio-m3-ultra-96gb. No junto con memory.
mcp-param-doctor-os-reserve = Memoria reservada para el sistema operativo, por defecto 2GiB.
mcp-param-doctor-prefill-rate = Velocidad de prefill, tokens/s (el pp de llama-bench, timings.prompt_per_second de llama-server); por defecto: la prevista a partir del cálculo de la máquina.
mcp-param-doctor-prompt-tokens = El tamaño del prompt del cliente, en tokens.
mcp-param-doctor-quant = Con catalog: la cuantización de todo el archivo, Q4_K_M (por defecto), Q8_0, F16, …
mcp-param-doctor-runtime = Con catalog: ollama (por defecto) o llama-server.
mcp-param-doctor-si = Leer GB/MB/TB como potencias de 10.
mcp-param-doctor-timeout = El tiempo de espera de las peticiones del cliente: segundos, o "300s", "5m".

mcp-tool-fit = Si un modelo del catálogo cabe en una máquina, con qué margen, el mayor contexto que cabe, los cambios con los que cabría y la velocidad de decodificación y prefill (lo que imprime `cabe fit MODEL --json`).
mcp-input-fit = `fit`: si un modelo del catálogo cabe, y a qué velocidad.
mcp-param-fit-claimed-decode = Un ritmo de decodificación que alguien afirma, tokens/s: ¿queda bajo el techo del ancho de banda?
mcp-param-fit-cpu-moe = Los expertos enrutados de todas las capas en la RAM del sistema (--cpu-moe).
mcp-param-fit-ctx = Contexto por secuencia: tokens (32768, "32k"), "native" (por defecto) o "max".
mcp-param-fit-explain = Añade el razonamiento de la respuesta (las cuentas, lo que se dejó fuera).
mcp-param-fit-flash-attn = Flash attention, activada por defecto.
mcp-param-fit-gen-tokens = Tokens generados tras el prompt.
mcp-param-fit-kv-type = Tipo de la caché KV: f32, f16 (por defecto), bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
mcp-param-fit-memory = Una máquina de la que solo se conoce la memoria: 64GB, 24GiB ("GB" como se vende = GiB salvo con si).
mcp-param-fit-model = Un id o alias de modelo del catálogo (p. ej. qwen3-coder-30b-a3b); se rechazan rutas de archivo y URL.
mcp-param-fit-n-cpu-moe = Los expertos enrutados de las primeras N capas en la RAM del sistema (--n-cpu-moe). No junto con cpu_moe.
mcp-param-fit-on = Un id de máquina del catálogo (véase el catálogo de hardware, `cabe hardware`), p. ej. mac-studio-m3-ultra-96gb. No junto con memory.
mcp-param-fit-os-reserve = Memoria reservada para el sistema operativo, por defecto 2GiB.
mcp-param-fit-parallel = Secuencias en paralelo, cada una con el contexto completo (por defecto 1).
mcp-param-fit-prefill-rate = Un ritmo de prefill medido, tokens/s, que se usa en lugar de la predicción.
mcp-param-fit-prompt-tokens = Un prompt de N tokens: su tiempo de prefill y el tiempo hasta el primer token.
mcp-param-fit-quant = Cuantización de todo el archivo: Q4_K_M (por defecto), Q8_0, F16, …
mcp-param-fit-runtime = El programa que ejecuta el modelo: llama-server (por defecto), llama-cli, llama-completion, ollama.
mcp-param-fit-si = Leer GB/MB/TB como potencias de 10.
mcp-param-fit-timeout = El tiempo de espera del cliente: segundos, o "300s", "5m".
mcp-param-fit-ubatch = Micro-lote físico (-ub), por defecto 512.
mcp-def-OnOff = Flash attention: true/false, u "on"/"off".

mcp-tool-plan = Reparte un modelo del catálogo entre varias GPU o máquinas con un motor existente: el reparto por capas de llama.cpp (GPU locales o equipos con rpc-server unidos por un enlace) o el paralelismo de tensores y de etapas de vLLM. Por dispositivo: capas, pesos, caché KV y margen; el mayor contexto que cabe en todos los dispositivos; decodificación y prefill a través del enlace; las órdenes que ejecutar (lo que imprime `cabe plan MODEL --json`).
mcp-input-plan = `plan`: un modelo del catálogo repartido entre varias GPU o máquinas con llama.cpp (reparto por capas, RPC) o vLLM (paralelismo de tensores y de etapas).
mcp-param-plan-bandwidth = Ancho de banda de memoria de cada dispositivo indicado en devices, GB/s.
mcp-param-plan-cpu-moe = Los expertos enrutados de todas las capas en la RAM del sistema (--cpu-moe).
mcp-param-plan-ctx = Contexto por secuencia: tokens (32768, "32k"), "native" (por defecto) o "max".
mcp-param-plan-devices = Los dispositivos por su memoria, separados por comas ("24GB,24GB,16GB"). No junto con on.
mcp-param-plan-engine = El motor: llama-cpp (por defecto) o vllm.
mcp-param-plan-flash-attn = Flash attention, activada por defecto.
mcp-param-plan-kv-type = Tipo de la caché KV: f32, f16 (por defecto), bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
mcp-param-plan-link = El enlace entre máquinas, un id del catálogo de enlaces de cabe (p. ej. 10gbe); no junto con link_gbps.
mcp-param-plan-link-gbps = La velocidad del enlace en Gbit/s.
mcp-param-plan-link-latency-us = La latencia del enlace en un sentido, en µs (por defecto 50).
mcp-param-plan-model = Un id o alias de modelo del catálogo (p. ej. llama-3.1-70b); se rechazan rutas de archivo y URL.
mcp-param-plan-n-cpu-moe = Los expertos enrutados de las primeras N capas en la RAM del sistema (--n-cpu-moe). No junto con cpu_moe.
mcp-param-plan-on = Los dispositivos como máquinas del catálogo: "2x rtx-4090", o un id. No junto con devices.
mcp-param-plan-os-reserve = Memoria reservada para el sistema operativo en cada dispositivo ("2GiB").
mcp-param-plan-parallel = Secuencias en paralelo, cada una con el contexto completo (por defecto 1).
mcp-param-plan-pp = El tamaño de paralelismo de etapas (pipeline) de vLLM.
mcp-param-plan-prompt-tokens = Un prompt de N tokens: su tiempo de prefill con el reparto.
mcp-param-plan-quant = Cuantización de todo el archivo: Q4_K_M (por defecto), Q8_0, F16, …
mcp-param-plan-runtime = El programa que ejecuta el modelo: llama-server (por defecto), llama-cli, llama-completion, ollama.
mcp-param-plan-tensor-split = Los pesos de --tensor-split de llama.cpp, separados por comas ("3,1"); por defecto: según la memoria libre.
mcp-param-plan-tp = El tamaño de paralelismo de tensores de vLLM.
mcp-param-plan-ubatch = Micro-lote físico (-ub), por defecto 512.

mcp-tool-recommend = Los modelos del catálogo ordenados para un uso (general, chat, code, reasoning, long-context, agents) en una máquina, cada uno con la mejor cuantización que cabe, con memoria, velocidad y coste en calidad, y los que se quedan cerca (lo que imprime `cabe recommend --json`).
mcp-input-recommend = `recommend`: qué ejecutar, ordenado para un uso.
mcp-param-recommend-bandwidth = El ancho de banda de memoria de la máquina en GB/s, para una máquina de la que solo se conoce la memoria.
mcp-param-recommend-cpu-moe = Los expertos enrutados de todas las capas en la RAM del sistema (--cpu-moe).
mcp-param-recommend-family = Solo modelos cuya familia contiene esto (qwen3, gemma3, …).
mcp-param-recommend-flash-attn = Flash attention, activada por defecto.
mcp-param-recommend-kv-type = Tipo de la caché KV: f32, f16 (por defecto), bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1.
mcp-param-recommend-license = Solo modelos cuya licencia contiene esto (apache-2.0, mit, …).
mcp-param-recommend-max-quality-loss = El mayor aumento de perplejidad frente a F16 que puede costar una cuantización, en porcentaje.
mcp-param-recommend-max-ttft = El mayor tiempo típico hasta el primer token de prompt_tokens: segundos o "30s".
mcp-param-recommend-memory = Una máquina de la que solo se conoce la memoria: 64GB, 24GiB ("GB" como se vende = GiB salvo con si).
mcp-param-recommend-min-ctx = El contexto que debe admitir cada elección, en tokens (por defecto: el del uso).
mcp-param-recommend-min-decode = El ritmo típico de decodificación más lento que se acepta, tokens/s.
mcp-param-recommend-n-cpu-moe = Los expertos enrutados de las primeras N capas en la RAM del sistema (--n-cpu-moe). No junto con cpu_moe.
mcp-param-recommend-on = Un id de máquina del catálogo (véase el catálogo de hardware, `cabe hardware`), p. ej. mac-studio-m3-ultra-96gb. No junto con memory.
mcp-param-recommend-os-reserve = Memoria reservada para el sistema operativo, por defecto 2GiB.
mcp-param-recommend-parallel = Secuencias en paralelo, cada una con el contexto completo (por defecto 1).
mcp-param-recommend-prompt-tokens = Un prompt de N tokens, para max_ttft y el tiempo hasta el primer token.
mcp-param-recommend-runtime = El programa que ejecuta el modelo: llama-server (por defecto), llama-cli, llama-completion, ollama.
mcp-param-recommend-si = Leer GB/MB/TB como potencias de 10.
mcp-param-recommend-ubatch = Micro-lote físico (-ub), por defecto 512.
mcp-param-recommend-use = Para qué es el modelo: general (por defecto), chat, code, reasoning, long-context, agents.
