# cabe route: the heading, the table, each task's reasons, the totals, the notes, and the
# errors of the workload file and the cloud prices.

route-header = routing { $n } task classes for { $model } at { $quant } on { $machine }:
route-col-task = task
route-col-per-day = per day
route-col-tokens = prompt + answer
route-col-private = private
route-col-goes-to = goes to
route-col-ttft = local first token
route-col-answer = local answer
route-col-cost = cloud $/month
route-yes = yes
route-no = no
route-place-local = local
route-place-cloud-to = cloud: { $id }
route-place-cloud = cloud
route-place-none = not placeable
route-no-fit = does not fit
route-cloud-rates = {"    "}{ $id } at ${ $input }/M in, ${ $output }/M out ({ $source } { $date }); free tier: { $free }
route-local-line = {"    "}local: { $line }
route-totals = totals: { $tasks } { $n ->
    [one] task
   *[other] tasks
} a day — { $local } local ({ $pct }%), { $cloud } to the cloud, { $none } not placeable
route-private-totals = private: { $kept } of { $private } a day kept local (none is ever sent out); cloud cost ${ $cost } a month
route-note = note: { $note }
route-note-cost = cloud cost: prompt and answer tokens at each provider's standard per-token rate (uncached, not batch; long prompts at the dearer tier where the provider has one), { $days } days a month; free tiers are named but not counted
route-note-private = private tasks are never routed out: one the local machine cannot hold is reported with the change that would let it
route-note-no-cloud = no hosted model allowed: nothing is sent out
route-why-fits = locally the model fits at { $tokens } tokens of context
route-why-offload = locally the model fits with offload to system RAM at { $tokens } tokens of context
route-why-no-fit = locally it does not fit: { $fix }
route-fix-native = the task needs { $ctx } tokens of context, past the model's { $native }: only a model with a longer context can take it
route-fix-needs = needs { $total } of { $usable } here
route-fix-change = { $flag } makes it fit ({ $spare } to spare)
route-fix-no-change = no single change of settings makes it fit
route-fix-machine = the cheapest catalog machine that holds it: { $id } (${ $price })
route-why-timeout = first token after { $time } { $ok ->
    [yes] within
   *[no] past
} the { $limit } timeout
route-why-deadline = whole answer after { $time } { $ok ->
    [yes] within
   *[no] past
} the { $limit } deadline
route-why-private-local = private: stays local
route-why-private-late = it misses its time limit here, but private tasks are never sent out
route-why-private-none = private: never sent out, so it cannot be placed
route-why-sent = sent out: { $id } ({ $provider }) holds { $tokens } tokens in its { $window }-token window, the cheapest that does at ${ $cost } a task
route-why-no-cloud-local = no allowed hosted model holds { $tokens } tokens: it stays local despite its time limit
route-why-no-cloud = no allowed hosted model holds { $tokens } tokens
route-err-per-day = '{ $value }' is not a number of tasks a day (0 to 1,000,000)
route-err-no-tasks = give --workload FILE, or one task class with --prompt-tokens N
route-err-not-file = --cloud-prices { $path } is not a file
route-err-cap = --cloud-prices { $path } is over the 256 KiB cap
route-err-utf8 = --cloud-prices { $path } is not UTF-8 text
route-err-unknown-cloud = --cloud: unknown hosted model '{ $id }' (one of: { $ids })
workload-err-special = { $path } is a { $kind ->
    [folder] folder
    [directory] directory
    [named-pipe-fifo] named pipe (FIFO)
    [character-device] character device
    [block-device] block device
    [socket] socket
   *[other] special file
}, not a workload file
workload-err-cap = { $path } is over the 1 MiB cap for a workload file
workload-err-utf8 = { $path } is not UTF-8 text
workload-err-too-many = line { $line }: more than { $max } tasks (the cap for one workload file)
workload-err-json = line { $line }: not JSON ({ $error })
workload-err-none = no tasks (one JSON object a line)
workload-err-object = a task is a JSON object {"{"}"name": …, "prompt_tokens": …{"}"}
workload-err-unknown-field = unknown field '{ $field }' (the fields: { $fields })
workload-err-missing = missing field '{ $field }'
workload-err-name-string = 'name' must be a string
workload-err-name = 'name' must be 1 to { $max } printable characters
workload-err-private = 'private' must be true or false
workload-err-per-day = 'per_day' must be a number from 0 to 1,000,000
workload-err-whole = '{ $field }' must be a whole number of tokens
workload-err-tokens = '{ $field }' must be a number of tokens
workload-err-range = '{ $field }' { $n } is out of range (0 to 67,108,864 tokens)
workload-err-seconds = '{ $field }' must be seconds or a duration like "5m"
workload-err-time = '{ $field }' must be a positive time up to a year
workload-line = line
