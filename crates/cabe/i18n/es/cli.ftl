# La ayuda de la línea de órdenes (lo que clap muestra con --help) y su marco, en español:
# la descripción de cada orden y los encabezados. La ayuda de cada opción y argumento está en
# args.ftl (solo en español: la inglesa sale de los comentarios de documentación al compilar).

cli-about = ¿Cabe este LLM en esta máquina, y con cuánto margen?
cli-long-about = cabe calcula el tamaño de un modelo (de su entrada en el catálogo o de un archivo GGUF) tal como lo carga llama.cpp: pesos, caché KV, búferes de cálculo y de salida y sobrecostes, frente a la memoria de una máquina.
cli-help = Muestra la ayuda
cli-version = Muestra la versión
cli-usage = Uso:
cli-options = Opciones
cli-arguments = Argumentos
cli-commands = Órdenes
cli-help-command = Muestra esta ayuda o la de las órdenes indicadas
about-fit = ¿Cabe MODELO (id del catálogo, archivo GGUF o URL)?: el desglose de memoria, el margen y el contexto más largo que cabe.
about-inspect = Muestra la cabecera de un archivo GGUF (local, o una URL leída con peticiones HTTP por rangos): metadatos, tensores, número de parámetros, tipo de archivo.
about-models = Lista el catálogo de modelos incluido.
about-hardware = Lista el catálogo de hardware incluido.
about-system = Lo que cabe detecta de esta máquina: CPU, memoria, GPU y la memoria que puede usar un modelo.
about-scan = Busca los modelos que ya hay en disco (Ollama, la caché de Hugging Face, LM Studio, la caché de llama.cpp, carpetas, URL) y dice cuáles caben en esta máquina.
about-recommend = Qué ejecutar aquí: los modelos del catálogo ordenados para un uso (general, chat, código, razonamiento, contexto largo, agentes), cada uno en la mejor cuantización que cabe, con su memoria, su velocidad y su coste en calidad; y los que se quedan cerca.
about-buy = Qué comprar para un modelo y una carga de trabajo: cada máquina del catálogo, si cabe, su margen, su contexto más largo, la decodificación y el tiempo hasta el primer token, el precio, el precio por GB y por tok/s; primero las que cumplen, de la más barata a la más cara, y lo que añade el escalón siguiente.
about-plan = Un modelo repartido entre varias GPU o máquinas (reparto por capas de llama.cpp, RPC entre equipos): por dispositivo, sus capas, pesos, caché KV, búfer de cálculo y margen, el techo de decodificación con la parte del enlace, y las órdenes que hay que ejecutar.
about-route = Qué tareas de una carga de trabajo se ejecutan aquí y cuáles van a un modelo alojado (cuyo contexto las contiene, a su precio por token): las tareas privadas nunca salen; el coste mensual.
about-doctor = Diagnostica un modelo de Ollama (o un llama-server en marcha) frente a la carga de trabajo y esta máquina: el contexto en vigor, los recortes, los tiempos de espera, la memoria; y escribe el arreglo.
about-calibrate = Mide el ancho de banda de lectura de memoria y la capacidad de cálculo de esta máquina y los guarda; las predicciones de velocidad en esta máquina los usan.
about-bench = Ejecuta el modelo de un Ollama o llama-server en marcha con varios tamaños de prompt: prefill, tiempo hasta el primer token y decodificación medidos frente a los previstos; se guardan en el historial.
about-history = Las ejecuciones de bench guardadas en esta máquina, y la corrección que aportan a las predicciones.
about-curve = Ritmo de decodificación y de prefill y tiempo hasta el primer token según la longitud del contexto: gráficas en la terminal, un SVG, y dónde se supera el tiempo de espera de un cliente.
about-serve = Una página web local y una API JSON de solo lectura sobre `fit`, `curve`, `recommend`, `buy`, `plan`, `route`, `doctor` (se muestra, nunca se aplica) y los catálogos (http://127.0.0.1:8431/ por defecto; la API, descrita en /api/openapi.json).
about-mcp = Un servidor Model Context Protocol por stdin/stdout para agentes de programación: las herramientas `fit`, `recommend`, `plan`, `doctor` (muestra el arreglo, nunca lo aplica) y `check_prompt`.
