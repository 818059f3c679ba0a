# La ayuda de cada opción y argumento de la línea de órdenes (lo que clap muestra con --help),
# en español. Solo hay español: la ayuda en inglés es la de clap, sacada de los comentarios de
# documentación de cli.rs, flags.rs y cada orden. Se busca `arg-<orden>-<id>` y, si no existe,
# `arg-<id>` (una opción compartida tiene una sola entrada; la orden de nivel superior es
# `cabe`). Una orden cuya ayuda en inglés difiere de la compartida lleva su propia entrada.
# Sin punto final, como muestra clap la ayuda en inglés.

## Lo que clap añade tras la ayuda, en inglés "[default: …]" y "[possible values: …]".

help-default = [por defecto: { $value }]
help-possible-values = [valores posibles: { $values }]

## Todas las órdenes.

arg-lang = Idioma de la salida para personas: en o es (por defecto: CABE_LANG, si no la configuración regional, si no inglés). --json es igual en todos los idiomas
arg-json = Imprime un único objeto JSON
arg-explain = Muestra el razonamiento detrás de la respuesta: la aritmética, la fórmula, lo que se ha dejado fuera

## La máquina (--on, --memory, --si, --os-reserve).

arg-on = Id de una máquina del catálogo (véase `cabe hardware`), p. ej. mac-studio-m3-ultra-96gb
arg-memory = Una máquina de la que solo se conoce la memoria, p. ej. 64GB o 24GiB ("GB" tal como se vende = GiB, salvo con --si)
arg-si = Interpreta GB/MB/TB como potencias de 10 y no como los tamaños de memoria comerciales
arg-os_reserve = Memoria reservada para el sistema operativo en las máquinas que funcionan con la RAM del sistema (por defecto 2GiB, una suposición)

## El runtime y sus ajustes.

arg-runtime = El programa que ejecuta el modelo: llama-server (por defecto: con el que hablan los agentes y las interfaces de chat, y el que Ollama ejecuta por debajo), llama-cli, llama-completion, ollama. Determina las filas de logits reservadas y cómo se escriben los ajustes
arg-kv_type = Tipo de la caché KV para K y V: f32, f16, bf16, q8_0, q4_0, q4_1, iq4_nl, q5_0, q5_1
arg-parallel = Secuencias en paralelo, cada una con el contexto completo (-np de llama-server, OLLAMA_NUM_PARALLEL de Ollama)
arg-flash_attn = Flash attention (el valor por defecto de llama.cpp es auto: activada donde se admite)
arg-ubatch = Micro-lote físico (-ub), que determina el tamaño del búfer de cálculo
arg-n_cpu_moe = Deja en la RAM del sistema los expertos enrutados de las primeras N capas (--n-cpu-moe de llama.cpp; un modelo MoE en una GPU dedicada): menos VRAM, y esos bytes se leen a la velocidad de la RAM
arg-cpu_moe = Deja en la RAM del sistema los expertos enrutados de todas las capas (--cpu-moe de llama.cpp)

## El modelo y su contexto (compartidos; cada orden que los describe de otro modo lleva los suyos).

arg-model = Un id o alias de modelo del catálogo (véase `cabe models`), o un archivo o URL GGUF
arg-quant = Cuantización de todo el archivo para un modelo del catálogo (Q4_K_M, Q8_0, …). Por defecto, Q4_K_M
arg-ctx = Contexto por secuencia: un número de tokens, `native` (el contexto de entrenamiento del modelo) o `max` (el más largo que cabe). Por defecto, `native`

## La carga de trabajo.

arg-prompt_tokens = Un prompt de N tokens: predice su tiempo de prefill y el tiempo hasta el primer token
arg-gen_tokens = Tokens que se generan tras el prompt (para el tiempo total)
arg-timeout = El tiempo de espera del cliente (p. ej. 300s, 5m): ¿llega el primer token antes?
arg-prefill_rate = Un ritmo de prefill medido o conocido, en tokens/s, que se usa en lugar de la predicción
arg-claimed_decode = Un ritmo de decodificación que alguien afirma (tok/s): ¿está por debajo del techo que marca el ancho de banda?

## cabe fit

arg-fit-model = Un id o alias de modelo del catálogo (véase `cabe models`), la ruta de un archivo GGUF o la URL http(s) de un GGUF (también enlaces resolve/ o blob/ de Hugging Face): solo se lee su cabecera, con peticiones HTTP por rangos (como mucho 64 MiB en 30 s; CABE_REMOTE_MAX_BYTES y CABE_REMOTE_TIMEOUT cambian los límites)
arg-fit-quant = Cuantización de todo el archivo para un modelo del catálogo (Q4_K_M, Q8_0, F16, …). Por defecto, Q4_K_M

## cabe inspect

arg-file = Un archivo GGUF o su URL http(s) (en los modelos divididos, cualquier fragmento). La cabecera de una URL se lee con peticiones HTTP por rangos, nunca los datos de los tensores (como mucho 64 MiB en 30 s; CABE_REMOTE_MAX_BYTES y CABE_REMOTE_TIMEOUT cambian los límites)
arg-inspect-json = Imprime un único objeto JSON con todos los metadatos y la información de los tensores
arg-tensors = Lista también todos los tensores (salida para personas)

## cabe models, cabe hardware

arg-filter = Solo las filas cuyo id o nombre contiene este texto

## cabe system

arg-root = Lee un árbol de máquina grabado (proc/, sys/, commands/) en lugar de esta máquina
arg-system-os_reserve = Memoria reservada para el sistema operativo (por defecto 2GiB, una suposición)

## cabe scan

arg-paths = Carpetas o archivos GGUF que examinar, o URL de GGUF/safetensors (leídas con peticiones HTTP por rangos). Sin ninguna, se examinan los almacenes de modelos por defecto
arg-defaults = Examina también los almacenes de modelos por defecto (Ollama, la caché de Hugging Face, LM Studio, la caché de llama.cpp) cuando se indican rutas
arg-scan-ctx = Contexto por modelo para el veredicto: un número de tokens, `native` o `max`
arg-max_depth = Profundidad máxima de carpetas a la que descender (por defecto 8)
arg-scan-root = Lee un árbol de máquina grabado en lugar de esta máquina (véase `cabe system --root`)
arg-scan-os_reserve = Memoria reservada para el sistema operativo (por defecto 2GiB, una suposición)
arg-scan-timeout = Segundos permitidos para cada lectura de una cabecera remota
arg-scan-json = Imprime un único objeto JSON (sin barra de progreso)

## cabe recommend

arg-use_ = Para qué es el modelo: `general`, `chat`, `code`, `reasoning`, `long-context`, `agents`. Fija el contexto que debe admitir cada elección (8K para `chat` … 128K para `long-context`) y prefiere las familias hechas para ese uso
arg-min_ctx = El contexto que debe admitir cada elección, en tokens por secuencia (por defecto: el del uso)
arg-min_decode = El ritmo de decodificación típico más lento que se acepta, en tok/s
arg-recommend-prompt_tokens = Un prompt de N tokens, para --max-ttft y la columna del tiempo hasta el primer token
arg-max_ttft = El tiempo típico más largo hasta el primer token de --prompt-tokens, p. ej. 30s
arg-max_quality_loss = El mayor aumento de perplejidad respecto a F16 que puede costar una cuantización, en porcentaje
arg-family = Solo los modelos cuya familia contiene este texto (qwen3, gemma3, llama3.2, …)
arg-license = Solo los modelos cuya licencia contiene este texto (apache-2.0, mit, …)
arg-bandwidth = El ancho de banda de memoria de la máquina en GB/s, para una máquina de la que solo se conoce --memory
arg-top = Filas que mostrar

## cabe buy

arg-buy-ctx = Contexto por secuencia que debe admitir cada máquina: tokens o `native`. Por defecto, `native`
arg-buy-min_decode = El ritmo de decodificación típico más lento que se acepta (con el contexto vacío), en tok/s
arg-buy-prompt_tokens = Un prompt de N tokens: su prefill y el tiempo hasta el primer token en cada máquina
arg-budget = Lo máximo que se quiere gastar, en USD: las máquinas más caras se marcan como fuera de presupuesto
arg-buy-claimed_decode = Un ritmo de decodificación que alguien afirma para este modelo (tok/s), comprobado frente al techo de la máquina de --claim-on
arg-claim_on = La máquina del catálogo para la que se hace la afirmación (véase `cabe hardware`)
arg-buy-top = Filas que mostrar en la tabla (todas las máquinas están en --json)

## cabe plan

arg-plan-ctx = Contexto por secuencia: tokens o `native`
arg-plan-on = Las máquinas: un id del catálogo (un equipo con varias GPU se reparte entre ellas), o N copias de una unidas por el RPC de llama.cpp, p. ej. `2x dgx-spark-128gb`. Valen tanto `2x dgx-spark-128gb` como `2xdgx-spark-128gb`
arg-devices = Las GPU de un mismo equipo por su memoria, p. ej. `24GiB,24GiB` (en lugar de --on)
arg-plan-bandwidth = Ancho de banda de memoria de cada GPU de --devices, en GB/s (para el techo de decodificación)
arg-tensor_split = El --tensor-split de llama.cpp: la parte de cada dispositivo, p. ej. `3,1` (por defecto: en proporción a la memoria libre de cada dispositivo, como hace el propio llama.cpp)
arg-link = El enlace entre máquinas, del catálogo de enlaces (`data/links.toml`): 10gbe, connectx-7-spark, thunderbolt5, … — su velocidad y su latencia
arg-link_gbps = El enlace entre máquinas, en Gbit/s (10 para 10 GbE, 40 para Thunderbolt 4)
arg-link_latency_us = Latencia del enlace en un sentido, en microsegundos (con --link-gbps)
arg-engine = El motor: llama.cpp (GGUF, cualquier dispositivo, RPC entre equipos; el predeterminado) o vllm (GPU CUDA/ROCm; paralelismo de tensores dentro de un nodo, paralelismo de pipeline entre nodos con Ray)
arg-tp = Tamaño del paralelismo de tensores de vLLM (por defecto: las GPU de una máquina)
arg-pp = Tamaño del paralelismo de pipeline de vLLM (por defecto: el número de máquinas)
arg-plan-prompt_tokens = Un prompt de N tokens: su tiempo de prefill con el reparto, enlace incluido

## cabe route

arg-route-model = El modelo local: un id o alias del catálogo (véase `cabe models`), o un archivo o URL GGUF
arg-workload = Las tareas, en JSON Lines: una por línea, {"{"}"name", "prompt_tokens", "output_tokens", "private", "deadline" o "timeout" (segundos o "5m"), "per_day"{"}"} (como mucho 1000 líneas, 1 MiB)
arg-route-prompt_tokens = Una sola clase de tareas en lugar de un archivo: el tamaño de su prompt en tokens
arg-output_tokens = El tamaño de su respuesta en tokens
arg-private = Nunca debe salir de esta máquina
arg-deadline = La respuesta completa se quiere en este plazo (p. ej. 10m)
arg-route-timeout = El cliente se rinde cuando el primer token tarda más (p. ej. 300s)
arg-per_day = Cuántas veces al día se ejecuta
arg-name = Su nombre en la salida
arg-route-prefill_rate = Un ritmo de prefill medido en tokens/s para esta máquina, que se usa en lugar de la predicción (para una máquina de la que `cabe` no conoce la capacidad de cálculo)
arg-cloud = Modelos alojados permitidos (ids de data/cloud.toml, separados por comas); por defecto: todos
arg-cloud_prices = Modelos alojados y precios tomados de este archivo (con el formato de data/cloud.toml) en lugar de los incluidos

## cabe doctor

arg-doctor-model = El modelo de Ollama, nombre[:etiqueta] (p. ej. qwen3-coder:30b). Con --llama-server: opcional, o la ruta del GGUF que ejecuta el servidor. Con --catalog: un id o alias de modelo del catálogo
arg-doctor-prompt_tokens = El tamaño del prompt del cliente en tokens
arg-prompt = Un archivo con el prompt: lo cuenta el /tokenize de --llama-server cuando responde; si no, se estima (bytes / 4, y se indica)
arg-doctor-timeout = El tiempo de espera de las peticiones del cliente, p. ej. 300s o 5m
arg-doctor-prefill_rate = Velocidad de prefill en tokens/s (pp de llama-bench, o timings.prompt_per_second de llama-server); por defecto: predicha a partir de la capacidad de cálculo de la máquina cuando el catálogo la conoce
arg-num_ctx = El options.num_ctx que el cliente envía con cada petición (prevalece sobre el Modelfile)
arg-catalog = MODEL es un id o alias de modelo del catálogo (véase `cabe models`), dimensionado a partir del catálogo: no se lee ningún almacén, servidor ni variable OLLAMA_*; la configuración es la indicada (--ctx, --runtime, --quant)
arg-doctor-ctx = Con --catalog: el contexto en vigor, en tokens por secuencia (Ollama: el num_ctx del modelo; por defecto, el predeterminado de la versión. llama-server: su -c, obligatorio)
arg-doctor-runtime = Con --catalog: el runtime, ollama (por defecto) o llama-server
arg-doctor-quant = Con --catalog: la cuantización de todo el archivo (Q4_K_M por defecto, Q8_0, F16, …)
arg-ollama_host = El servidor de Ollama al que preguntar (por defecto $OLLAMA_HOST, si no 127.0.0.1:11434)
arg-models_dir = El almacén de modelos de Ollama (por defecto $OLLAMA_MODELS, si no ~/.ollama/models)
arg-ollama_version = La versión de Ollama instalada, cuando no se puede preguntar al servidor (de ella dependen los valores por defecto)
arg-llama_server = Una URL de llama-server: se diagnostica cuando no se nombra ningún modelo de Ollama; si no, se usa para contar los tokens de --prompt
arg-offline = No pregunta a ningún servidor; solo lee el almacén en disco
arg-http_timeout = Tiempo de espera de conexión y de lectura con los servidores (una petición completa tiene 2,5×)
arg-doctor-name = Nombre del modelo de Ollama corregido (por defecto: a partir de la etiqueta anterior, p. ej. qwen3-coder:30b-256k)
arg-apply = Escribe el Modelfile corregido en FILE (un FILE que ya existe se guarda antes como FILE.bak) e imprime la orden `ollama create`. Sin esta opción no se escribe nada
arg-doctor-json = Imprime un único objeto JSON (`findings[]` con `id`, `severity`, `message`, `numbers`, `fix`)

## cabe calibrate

arg-threads = Hilos con los que medir (por defecto: todos los núcleos lógicos, como hace llama.cpp en las máquinas pequeñas)
arg-quick = Una medición rápida y aproximada (64 MiB, 2 pasadas de cada una; para pruebas: una caché grande puede contenerla)
arg-llama_bench = Mide también los kernels de CPU del propio llama.cpp con este llama-bench (el binario o su directorio; sin valor, el del PATH): pequeños modelos generados de cada tipo de peso (unos 3½ minutos con un hilo). Las predicciones siguen entonces lo que hace llama.cpp en esta CPU
arg-show = Imprime la calibración guardada sin medir
arg-calibrate-json = Imprime un único objeto JSON (sin barra de progreso)

## cabe bench

arg-url = La URL del servidor (por defecto: llama-server en 127.0.0.1:8080; si no, Ollama en OLLAMA_HOST o 127.0.0.1:11434)
arg-server = Qué servidor es (por defecto: se averigua preguntándole)
arg-bench-model = El modelo de Ollama que ejecutar (por defecto: el que está cargado; si no, el único instalado)
arg-predict_as = Predice con este modelo del catálogo o archivo GGUF en lugar del archivo de modelo del servidor (para un servidor cuyo archivo no puede leer esta máquina)
arg-bench-quant = Cuantización para un modelo del catálogo de --predict-as (por defecto Q4_K_M)
arg-prompt_sizes = Tamaños de prompt en tokens (limitados al contexto): p. ej. 512,2k,8k,32k
arg-bench-gen_tokens = Tokens que se generan tras cada prompt (la medida de la decodificación)
arg-bench-ctx = Contexto (el num_ctx de Ollama; por defecto, el num_ctx del modelo, si no 4096). El de llama-server es aquel con el que se lanzó
arg-bench-timeout = Límite de cada petición (procesado del prompt y generación), p. ej. 10m
arg-bench-on = La máquina del catálogo en la que funciona el servidor (por defecto: esta máquina)
arg-no_save = No guarda la ejecución en el historial
arg-bench-json = Imprime un único objeto JSON (sin barra de progreso)

## cabe history

arg-limit = Muestra como mucho este número de ejecuciones (0: todas)
arg-history-json = Imprime un único objeto JSON con todas las mediciones

## cabe curve

arg-curve-model = Un id o alias de modelo del catálogo, o un archivo GGUF
arg-curve-quant = Cuantización para un modelo del catálogo (por defecto Q4_K_M)
arg-prompt_tokens_max = El contexto o prompt más largo de la curva (por defecto: el contexto nativo del modelo)
arg-curve-timeout = Un tiempo de espera del cliente (p. ej. 300s, 5m): ¿a partir de qué punto llega el primer token después de ese plazo?
arg-svg = Escribe también la gráfica en un archivo SVG
arg-points = Puntos de la curva

## cabe serve

arg-port = Puerto en el que escuchar; 0 toma cualquier puerto libre. La primera línea impresa es la dirección
arg-listen = Dirección en la que escuchar. La predeterminada, 127.0.0.1, solo responde a esta máquina; otra dirección (0.0.0.0: todas las interfaces) deja preguntar a cualquiera que pueda llegar a ella
