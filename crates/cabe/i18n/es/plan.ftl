# cabe plan: la tabla del reparto, el techo de decodificación, la línea del motor, los
# comentarios de las órdenes, --explain y sus errores, en español.

plan-title = { $model } { $quant } con { $ctx } tokens en { $machine }
plan-col-device = dispositivo
plan-col-layers = capas
plan-col-weights = pesos
plan-col-kv = caché KV
plan-col-compute = cálculo
plan-col-host = anfitrión
plan-col-total = total
plan-col-capacity = capacidad
plan-col-headroom = margen
plan-layers-output = {" "}+ salida
plan-output = salida
plan-none = ninguna
plan-machine-devices = { $n } GPU indicadas con --devices
plan-device-host-rpc = equipo { $n } (rpc-server): { $name }
plan-device-host-server = equipo { $n } (llama-server): { $name }
plan-host = anfitrión (la máquina que ejecuta llama-server): incrustación de tokens { $embd } + logits { $logits } en su RAM
plan-split = reparto: { $shares } ({ $how })
plan-split-default = lo predeterminado en llama.cpp: en proporción a la memoria libre de cada dispositivo
plan-max-ctx = contexto más largo que cabe en todos los dispositivos: { $ctx } tokens por secuencia
plan-max-ctx-none = contexto más largo que cabe en todos los dispositivos: ninguno (ni siquiera 256 tokens)
plan-verdict-fits = veredicto: cabe en todos los dispositivos
plan-verdict-short = veredicto: no cabe: falta memoria en { $devices } (un --ctx más corto, un --quant más pequeño, --kv-type q8_0 u otro --tensor-split)
plan-ceiling-link = techo de decodificación: { $tps } tok/s (memoria { $mem_ms } ms + enlace { $link_ms } ms por token: { $crossings } { $crossings ->
    [one] cruce
   *[other] cruces
} × 2 × ({ $bytes } B a { $gbps } Gbit/s + { $latency } µs))
plan-ceiling-no-link = techo de decodificación: { $tps } tok/s solo por la memoria; indica --link ID (cabe plan --help) o --link-gbps para sumar la parte del enlace
plan-ceiling = techo de decodificación: { $tps } tok/s (cada dispositivo lee sus capas por turnos)
plan-ceiling-unknown = techo de decodificación: desconocido (se desconoce el ancho de banda de un dispositivo; --bandwidth)
plan-decode = decodificación: { $low }–{ $high } tok/s (típico { $typical }; techo { $bound }){ $link }
plan-decode-link = ; el enlace añade { $ms } ms por token
plan-prefill = prefill de { $tokens } tokens: { $low }–{ $high } tok/s, primer token tras { $ttft } (típico){ $link }
plan-prefill-link = ; el enlace añade { $ms } ms por token del prompt
plan-engine-llama = motor: llama.cpp (ejecuta archivos GGUF en cualquier combinación de dispositivos —CUDA, ROCm, Metal, Vulkan, CPU— y une equipos con su backend RPC; su reparto por capas no exige divisibilidad)
plan-commands = órdenes:
plan-cmd-rpc-host = # en el equipo { $n } (solo en una red de confianza: rpc-server no tiene autenticación)
plan-cmd-head-host = # en el equipo { $n }
plan-explain = cómo: el reparto por capas de llama.cpp (src/llama-model.cpp load_tensors): la capa i de n+1 (la última es la capa de salida) va al primer dispositivo cuya parte acumulada supera i/(n+1); la caché KV de cada capa está con ella; la incrustación de tokens se queda en la CPU del anfitrión; cada dispositivo reserva los picos de atención/FFN de sus capas, y el de la salida también el pico de los logits.

plan-vllm-title = { $model } (BF16) con vLLM en { $machine }: paralelismo de tensores { $tp } × paralelismo de tubería { $pp }, { $heads } { $heads ->
    [one] cabeza
   *[other] cabezas
} KV por GPU, --max-model-len { $ctx }
plan-vllm-col-stage = etapa
plan-vllm-col-weights = pesos / GPU
plan-vllm-col-kv = KV / GPU
plan-vllm-col-budget = presupuesto (0,9)
plan-vllm-col-kv-tokens = tokens KV
plan-vllm-node = nodo { $n }
plan-vllm-verdict = veredicto: { $fits ->
    [yes] vLLM arranca
   *[no] vLLM se niega: la caché KV no alcanza --max-model-len
}; el --max-model-len más largo que admiten todas las etapas: { $len }
plan-vllm-note-profile = nota: vLLM mide su pico de activaciones y los grafos CUDA al arrancar; salen del margen mostrado (no se modelan)
plan-vllm-note-swa = nota: las capas de ventana deslizante se cuentan con la longitud completa (una cota superior)
plan-vllm-cmd-head = # en el nodo principal
plan-vllm-cmd-node = # en el nodo { $n }
plan-vllm-cmd-joined = # en el nodo principal, cuando todos los nodos se hayan unido (ray status)

plan-err-count = '{ $n }' no es un número de máquinas
plan-err-machines = { $n } máquinas: indica de 1 a 64
plan-err-no-id = falta el id de la máquina tras el número
plan-err-which-devices = indica los dispositivos: --on ID (una máquina con varias GPU), --on 2x ID (máquinas unidas por RPC) o --devices 24GiB,24GiB
plan-err-native = el modelo no indica su contexto nativo; usa --ctx N
plan-err-split-count = --tensor-split tiene { $n } valores para { $devices } dispositivos
plan-err-split-zero = los pesos del reparto deben ser números no negativos, y no todos cero
plan-err-vllm-file = --engine vllm planifica un modelo del catálogo (vLLM carga su checkpoint de Hugging Face, no un GGUF)
plan-err-vllm-sizes = no se pueden deducir los tamaños de tensores y de tubería; indica --tp y --pp
plan-err-vllm-zero = los tamaños de paralelismo de tensores y de tubería deben ser al menos 1
plan-err-vllm-recurrent = { $model } tiene capas recurrentes; cabe no modela la caché de vLLM para ellas
plan-err-vllm-heads = vLLM lo rechaza: el número de cabezas de atención ({ $heads }) debe ser divisible por el tamaño del paralelismo de tensores ({ $tp }) ("Total number of attention heads ({ $heads }) must be divisible by tensor parallel size ({ $tp }).")
plan-err-vllm-replicate = vLLM lo rechaza: { $tp } GPU no pueden replicar { $kv } cabezas KV por igual (QKVParallelLinear: divide({ $tp }, { $kv }))
plan-err-vllm-divide = vLLM lo rechaza: { $kv } cabezas KV no se reparten entre { $tp } GPU (QKVParallelLinear: divide({ $kv }, { $tp }))
plan-err-vllm-pp = el tamaño del paralelismo de tubería ({ $pp }) no puede superar el número de capas ({ $layers })
plan-err-share = '{ $s }' no es una parte (un número ≥ 0)
