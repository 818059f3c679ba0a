# cabe route, en español: el encabezado, la tabla, los motivos de cada tarea, los totales,
# las notas, y los errores del archivo de carga de trabajo y de los precios de la nube.

route-header = reparto de { $n ->
    [one] { $n } clase de tarea
   *[other] { $n } clases de tareas
} para { $model } en { $quant } en { $machine }:
route-col-task = tarea
route-col-per-day = al día
route-col-tokens = prompt + respuesta
route-col-private = privada
route-col-goes-to = va a
route-col-ttft = primer token local
route-col-answer = respuesta local
route-col-cost = nube $/mes
route-yes = sí
route-no = no
route-place-local = local
route-place-cloud-to = nube: { $id }
route-place-cloud = nube
route-place-none = sin destino
route-no-fit = no cabe
route-cloud-rates = {"    "}{ $id } a ${ $input }/M de entrada, ${ $output }/M de salida ({ $source } { $date }); nivel gratuito: "{ $free }"
route-local-line = {"    "}local: { $line }
route-totals = totales: { $tasks } { $n ->
    [one] tarea
   *[other] tareas
} al día — { $local } en local ({ $pct } %), { $cloud } a la nube, { $none } sin destino
route-private-totals = privadas: { $kept } de { $private } al día se quedan en local (ninguna sale nunca); coste en la nube: ${ $cost } al mes
route-note = nota: { $note }
route-note-cost = coste en la nube: los tokens de prompt y de respuesta a la tarifa estándar por token de cada proveedor (sin caché ni lotes; los prompts largos, al tramo más caro donde el proveedor lo tiene), { $days } días al mes; los niveles gratuitos se nombran pero no se cuentan
route-note-private = las tareas privadas nunca se envían fuera: si la máquina local no puede con una, se indica el cambio que lo permitiría
route-note-no-cloud = no se permite ningún modelo alojado: nada sale de aquí
route-why-fits = en local el modelo cabe con un contexto de { $tokens } tokens
route-why-offload = en local el modelo cabe descargando en la RAM del sistema con un contexto de { $tokens } tokens
route-why-no-fit = en local no cabe: { $fix }
route-fix-native = la tarea necesita un contexto de { $ctx } tokens, más que los { $native } del modelo: solo un modelo con un contexto más largo puede con ella
route-fix-needs = necesita { $total } de { $usable } aquí
route-fix-change = con { $flag } cabe ({ $spare } de margen)
route-fix-no-change = ningún cambio de configuración por sí solo hace que quepa
route-fix-machine = la máquina del catálogo más barata en la que cabe: { $id } (${ $price })
route-why-timeout = primer token tras { $time }, { $ok ->
    [yes] dentro
   *[no] fuera
} del tiempo de espera de { $limit }
route-why-deadline = respuesta completa tras { $time }, { $ok ->
    [yes] dentro
   *[no] fuera
} del plazo de { $limit }
route-why-private-local = privada: se queda en local
route-why-private-late = aquí no cumple su límite de tiempo, pero las tareas privadas nunca se envían fuera
route-why-private-none = privada: nunca se envía fuera, así que no tiene destino
route-why-sent = se envía fuera: { $id } ({ $provider }) admite { $tokens } tokens en su ventana de { $window } tokens; es el más barato que lo hace, a ${ $cost } por tarea
route-why-no-cloud-local = ningún modelo alojado permitido admite { $tokens } tokens: se queda en local pese a su límite de tiempo
route-why-no-cloud = ningún modelo alojado permitido admite { $tokens } tokens
route-err-per-day = «{ $value }» no es un número de tareas al día (de 0 a 1.000.000)
route-err-no-tasks = indica --workload ARCHIVO, o una clase de tarea con --prompt-tokens N
route-err-not-file = --cloud-prices { $path } no es un archivo
route-err-cap = --cloud-prices { $path } supera el límite de 256 KiB
route-err-utf8 = --cloud-prices { $path } no es texto UTF-8
route-err-unknown-cloud = --cloud: modelo alojado desconocido «{ $id }» (uno de: { $ids })
workload-err-special = { $path } es { $kind ->
    [folder] una carpeta
    [directory] una carpeta
    [named-pipe-fifo] una tubería con nombre (FIFO)
    [character-device] un dispositivo de caracteres
    [block-device] un dispositivo de bloques
    [socket] un socket
   *[other] un archivo especial
}, no un archivo de carga de trabajo
workload-err-cap = { $path } supera el límite de 1 MiB de un archivo de carga de trabajo
workload-err-utf8 = { $path } no es texto UTF-8
workload-err-too-many = línea { $line }: más de { $max } tareas (el límite de un archivo de carga de trabajo)
workload-err-json = línea { $line }: no es JSON ({ $error })
workload-err-none = no hay tareas (un objeto JSON por línea)
workload-err-object = una tarea es un objeto JSON {"{"}"name": …, "prompt_tokens": …{"}"}
workload-err-unknown-field = campo desconocido «{ $field }» (los campos: `{ $fields }`)
workload-err-missing = falta el campo «{ $field }»
workload-err-name-string = «name» debe ser una cadena
workload-err-name = «name» debe tener de 1 a { $max } caracteres imprimibles
workload-err-private = «private» debe ser true o false
workload-err-per-day = «per_day» debe ser un número de 0 a 1.000.000
workload-err-whole = «{ $field }» debe ser un número entero de tokens
workload-err-tokens = «{ $field }» debe ser un número de tokens
workload-err-range = «{ $field }» { $n } está fuera de rango (de 0 a 67.108.864 tokens)
workload-err-seconds = «{ $field }» debe ser un número de segundos o una duración como "5m"
workload-err-time = «{ $field }» debe ser un tiempo positivo de un año como mucho
workload-line = línea
