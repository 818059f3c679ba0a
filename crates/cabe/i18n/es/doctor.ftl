# El marco de cabe doctor (los hallazgos están en crates/cabe-doctor/i18n), en español.

doctor-head-model = modelo: { $name } ({ $arch }, { $layers } capas, contexto nativo { $native }), { $weights } de pesos; origen: { $source }
doctor-head-machine = máquina: { $machine }
doctor-head-in-force = en vigor: contexto de { $ctx } por ranura ({ $ctx_source }); { $slots } { $slots ->
    [one] ranura
   *[other] ranuras
} ({ $slots_source }); KV { $kv } ({ $kv_source }); flash attention { $fa ->
    [on] activada
   *[off] desactivada
} ({ $fa_source })
doctor-head-memory = memoria ahora: { $summary }
doctor-no-findings = Sin hallazgos: la configuración soporta la carga de trabajo en esta máquina.
doctor-findings = { $n } { $n ->
    [one] hallazgo
   *[other] hallazgos
}:
doctor-error = ERROR
doctor-warning = AVISO
doctor-info = INFO
doctor-fix = arreglo: { $fix }
doctor-the-fix = EL ARREGLO
doctor-modelfile-written = Modelfile escrito en { $path }:
doctor-modelfile-written-backup = Modelfile escrito en { $path } (el anterior se guarda como { $backup }):
doctor-modelfile-not-written = Modelfile (sin escribir; --apply ARCHIVO lo escribe):
doctor-apply-nothing = --apply: nada que escribir, el contexto del modelo no necesita cambios.
doctor-notes = notas:
doctor-params-layer = la capa params de { $model }
doctor-blob = el blob GGUF { $blob } en { $root }
doctor-catalog-source = el catálogo ({ $id } en { $quant })
doctor-catalog-modelfile = el Modelfile de { $model } (--ctx)
doctor-env-shell = el entorno de esta shell
doctor-env-not-read = sin leer (--catalog)
doctor-show-params = los parámetros de { $model } (/api/show)
doctor-note-catalog = --catalog: { $id } calculado a partir del catálogo en { $quant } ({ $provenance }); no se lee almacén, servidor ni variable OLLAMA_*
doctor-note-not-running = { $who }: no está en marcha ({ $detail })
doctor-note-read-store = : se lee el almacén en disco; los valores OLLAMA_* son los de esta shell, y los del servidor pueden ser otros
doctor-note-offline = --offline: no se consulta ningún servidor
doctor-note-running = { $who }: en marcha, versión { $version }
doctor-note-not-loaded = /api/ps: { $model } no está cargado ahora
doctor-note-version-ignored = se ignora --ollama-version { $given }: el servidor dice { $live }
doctor-note-weights-estimated = pesos ESTIMADOS a partir de la arquitectura en { $quant } (/api/show no listó tensores)
doctor-note-from-show = almacén: { $error }; el modelo se leyó de /api/show
doctor-note-llama-defaults = se suponen los valores por defecto de llama-server: una ranura, caché KV f16, flash attention auto (activada)
doctor-note-llama-slots = llama-server en { $url }: { $slots } ranura(s) de { $ctx } tokens{ $build }
doctor-note-llama-build = , compilación { $build }
doctor-note-llama-unreported = llama-server no informa del tipo de su caché KV ni de flash attention: se suponen sus valores por defecto (f16, -fa auto = activada)
doctor-llama-at = llama-server en { $url }
doctor-ollama-at = Ollama en { $url }
doctor-setup-given = la configuración indicada (--ctx, una ranura)
doctor-prefill-predicted = una predicción a partir del cálculo de la máquina (típica; intervalo { $low }–{ $high } tokens/s)
doctor-prompt-estimated = tokens del prompt ESTIMADOS: { $bytes } bytes ÷ 4 ≈ { $tokens } tokens (el inglés y el código rondan los 4 bytes por token con tokenizadores BPE); indica con --llama-server la URL de un llama-server con este modelo para contarlos con exactitud
doctor-tokenize-by = /tokenize de llama-server en { $url }
doctor-issue-loading = 503: todavía está cargando el modelo
doctor-issue-loading-consequence = sus ranuras y su tokenizador aún no están disponibles
doctor-issue-hung = aceptó la conexión y luego no dijo nada: colgado, ocupado cargando o sobrecargado
doctor-issue-wrong-server = lo que respondió no es el servidor que se esperaba ahí (revisa la dirección)
doctor-issue-unusable = su respuesta no se pudo usar
doctor-issue-goes-on = { $consequence }; el diagnóstico sigue sin él
doctor-issue-estimated-instead = los tokens del prompt se estiman en su lugar
