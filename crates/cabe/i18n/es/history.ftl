# La tabla y las líneas de cabe history, en español.

history-empty = no hay ejecuciones de bench guardadas ({ $path }): `cabe bench` mide un Ollama o llama-server en marcha
history-col-run = ejecución
history-col-when = cuándo
history-col-server = servidor
history-col-model = modelo
history-col-prompts = prompts
history-col-prefill = prefill ×
history-col-decode = decodificación ×
history-col-machine = máquina
history-col-basis = base
history-legend = × = mediana de lo medido ÷ lo previsto en los prompts de la ejecución; las predicciones posteriores para la misma máquina, backend y base se corrigen con la mediana de las ejecuciones
