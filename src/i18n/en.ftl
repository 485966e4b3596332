# Pol's messages in English. Every id here has a translation in zh.ftl,
# with the same arguments (tests/i18n.rs holds them equal).

## Explanations

in-force-from-to = from { $from } to { $to }
in-force-from = from { $from }
explain-on = on { $date }
explain-no-date = no evaluation date
explain-list-more = [{ $first }, … ({ $count } in all)]
explain-undetermined-needs = undetermined (needs { $needs })
explain-clause = clause { $clause }
explain-clause-labelled = clause { $clause } 「{ $label }」
explain-in-force-held = ✓ in force { $dates }, and { $tested } is within it
explain-in-force-failed-on = ✗ not in force: the clause is in force { $dates }, and { $tested } is not within it
explain-in-force-failed = ✗ not in force on { $tested }: the clause is in force { $dates }
explain-in-force-undetermined = ? in force { $dates } on { $tested }, which is undetermined (needs { $needs })
explain-fact-not-given = { $fact } is not given
explain-amendment-from = amendment from clause { $clause }
explain-exception-unless = exception (unless)
explain-exception-applies = { $what } applies, when { $condition }: { $value }
explain-exception-undetermined = { $what } is undetermined: whether { $condition }
explain-exception-does-not-apply = { $what } does not apply, when { $condition }
explain-parameter = parameter { $parameter } = { $value } on { $on } (its value from { $from })
explain-needed-by = { $fact } — needed by: { $by }
relation-at-least = at least { $value }
relation-at-most = at most { $value }
relation-more-than = more than { $value }
relation-less-than = less than { $value }
relation-on-or-after = on or after { $value }
relation-on-or-before = on or before { $value }
explain-would-apply-if = it would apply if { $fact } were { $were } — it is { $current }
explain-undetermined-clauses = undetermined: { $count ->
    [one] 1 clause needs
   *[other] { $count } clauses need
} facts this case does not give (`--explain CLAUSE.RESULT` explains one)
explain-undetermined-clause = { $clause } { $results }: needs { $needs }
explain-no-conditions = the clause has no conditions
explain-conditions-fail = { $count ->
    [one] this condition fails:
   *[other] these { $count } conditions fail:
}
explain-conditions-undetermined = these conditions are undetermined:
explain-every-condition-holds = every condition holds:
explain-these-hold = these hold:
explain-all-of = all of:
explain-one-of = one of:
explain-more-subjects = … and { $count } more subjects
explain-not-needed = `{ $name }` was not needed
explain-zero-does-not-apply = 0 yuan: the clause does not apply
explain-clause-applies = the clause applies
explain-whether-applies-undetermined = undetermined: whether the clause applies
explain-clause-not-in-force = clause `{ $clause }` is not in force
explain-give-these-facts = to decide it, give these facts:
explain-no-single-change = { $count ->
    [0] no single change of a fact makes the clause apply
    [1] no single change of a fact makes the clause apply
   *[other] no single change of a fact makes the clause apply: { $count } conditions fail
}
explain-what-would-change = what would change it:

## Results of a case, tests and batches

result-error = error[{ $code }]: { $message } (at { $place })
result-eligible-yes = yes
result-eligible-no = no
result-undetermined = undetermined — needs { $needs }
result-undetermined-clauses = undetermined: { $count ->
    [one] 1 clause needs
   *[other] { $count } clauses need
} facts this case does not give
result-clause-needs = { $clause } — needs { $needs }
test-expected = expected  { $value }
test-actual = actual    { $value }
test-summary = { $passed } passed, { $failed } failed
batch-summary = { $cases ->
    [one] 1 case
   *[other] { $cases } cases
}, { $errors ->
    [one] 1 error row
   *[other] { $errors } error rows
}
batch-rows-undetermined = { $count ->
    [one] 1 row undetermined
   *[other] { $count } rows undetermined
}
batch-rows-failed = { $count ->
    [one] 1 row failed
   *[other] { $count } rows failed
}
batch-total = total { $result } = { $amount } yuan

## The command line

cli-error = error: { $message }
cli-more-errors = … and { $count } more errors, not shown: fix these first
cli-errors-found = error: { $count ->
    [one] 1 error
   *[other] { $count } errors
} found
cli-check-ok = { $path }: no errors ({ $files ->
    [one] 1 file
   *[other] { $files } files
}, { $clauses ->
    [one] 1 clause
   *[other] { $clauses } clauses
}, { $inputs ->
    [one] 1 input
   *[other] { $inputs } inputs
}, { $tests ->
    [one] 1 test
   *[other] { $tests } tests
})
cli-no-tests = error: `{ $path }` has no tests: nothing was run
    {"  "}help: write `test "NAME" {"{"} … {"}"}` blocks beside the clauses (see docs/reference.md)
did-you-mean = did you mean `{ $name }`?
cli-the-results-are = the results are: { $names }
cli-no-result-to-explain = error: there is no result `{ $name }` to explain
    {"  "}help: { $hint }
cli-server-not-started = the server did not start: fix the package first
cli-cannot-write-formatted = error: cannot write the formatted file: { $error }
cli-fmt-syntax-errors = error: files with syntax errors were left as they are
cli-would-reformat = would reformat { $file }
cli-formatted = formatted { $file }
cli-cannot-read-case = error: cannot read the case: { $error }
cli-cannot-read-cases = error: cannot read the cases: { $error }

## Diagnostics

syntax-full-width = full-width { $what } `{ $typed }` in code
syntax-full-width-label = write `{ $ascii }`
syntax-full-width-help = Pol's punctuation is ASCII: write `{ $ascii }` (switch the input method to half-width), or run `pol fmt --fix` to replace { $it }; full-width punctuation is fine inside quotes and labels
syntax-too-deep = brackets nest more than { $max_brackets } deep here
syntax-too-deep-label = too deep
syntax-too-deep-help = split the expression into `let` definitions
syntax-too-deep-2 = this expression nests more than { $max_depth } levels deep
syntax-too-deep-2-label = too deep
syntax-too-deep-2-help = split it into `let` definitions, or add up a list with `sum`
syntax-too-deep-3 = brackets nest more than { $max_brackets } deep here
syntax-too-deep-3-label = too deep
syntax-unexpected = an expression was expected
syntax-unexpected-label = empty
syntax-too-deep-4 = this expression nests more than { $max_depth } levels deep
syntax-too-deep-4-label = too deep
syntax-too-complex = this declaration is too complex to read: { $message }
syntax-too-complex-label = reading stopped here
syntax-too-complex-help = split the expression into `let` definitions
syntax-number = `{ $written }` is not an item's place in a list
syntax-number-label = not a list index
syntax-number-help = items are counted from 0 with a whole number: `[0]`, `[1]`
syntax-duplicate-in-force = this clause has two `in force` periods
syntax-duplicate-in-force-label = a second period
syntax-duplicate-in-force-also = the first
syntax-duplicate-in-force-help = a clause has one period; split it into two clauses if the rule changed
syntax-escape = unknown escape `\{ $other }` in a text
syntax-escape-label = not an escape
syntax-escape-help = a text knows `\"`, `\\` and `\n`; write `\\` for a backslash
syntax-date = `{ $s }` is not written as YYYY-MM-DD
syntax-date-label = month and day take two digits
syntax-date-help = write `{ $fixed }`
syntax-date-2 = `{ $s }` is not a date: there is no month { $m }
syntax-date-2-label = no such month
syntax-date-2-help = months run from 01 to 12
syntax-date-3 = `{ $s }` is not a date: there is no year 0
syntax-date-3-label = no such year
syntax-date-4 = `{ $s }` is not a date: { $y }-{ $m } has { $last } days
syntax-date-4-label = no such day
syntax-date-4-help = the last day of that month is `{ $y }-{ $m }-{ $last }`
syntax-too-deep-5 = more than { $max_depth } `not` or `-` in a row
syntax-too-deep-5-label = too deep
syntax-too-deep-5-help = `not not x` is `x`: remove the pairs
syntax-operator = `!` is not an operator in Pol
syntax-operator-label = here
syntax-operator-help = write `not`
syntax-operator-2 = `{ $op_name }` is not an operator in Pol
syntax-operator-2-label = here
syntax-operator-2-help = write `{ $write }`
syntax-operator-3 = `{ $op }` is not an operator in Pol
syntax-operator-3-label = here
syntax-operator-3-help = write `{ $write }`
syntax-chained-comparison = comparisons do not chain: this `{ $inner }` is compared again with `{ $op }`
syntax-chained-comparison-label = already a comparison
syntax-chained-comparison-help = compare twice and join with `and` (`a < b and b < c`), or use `x between a and b`
syntax-period-order = this period would run from { $start } back to { $end }
syntax-period-order-label = the end comes before the start
syntax-period-order-help = write `{ $end }..{ $start }`
syntax-number-2 = `{ $s }` is too large for an int
syntax-number-2-label = beyond 64 bits
syntax-number-2-help = ints run to 9223372036854775807
syntax-number-3 = `{ $s }` is too large or too precise for a decimal
syntax-number-3-label = not representable
syntax-number-3-help = decimals carry at most 28 significant digits
syntax-number-4 = this amount is too large
syntax-number-4-label = here
syntax-number-5 = this amount is too large for money
syntax-number-5-label = too large
syntax-number-5-help = money goes up to about 7.9 × 10^26 yuan
syntax-money = money has at most 2 decimals (fen), but this has { $scale }
syntax-money-label = finer than a fen
syntax-money-help = round it to the fen: `{ $amount } yuan`
syntax-duration = `{ $n }` is not a whole number of units
syntax-duration-label = durations count whole days, weeks, months or years
syntax-duration-2 = `{ $unit }` is not a unit of duration
syntax-duration-2-label = unknown unit
syntax-duration-2-help = write `{ $write }`
syntax-duration-3 = this duration is too long
syntax-duration-3-label = here
syntax-comprehension = `if` here filters a list, and no list is named before it
syntax-comprehension-label = no `x in LIST` before this `if`
syntax-comprehension-help = write `{ $func }(x in LIST if CONDITION)` or `{ $func }(EXPR for x in LIST if CONDITION)`
syntax-comprehension-2 = `count` takes `x in LIST if CONDITION`
syntax-comprehension-2-label = not the form of count
syntax-comprehension-2-help = write `count({ $var } in { $list_text } if { $as_deref })`
syntax-comprehension-3 = `{ $a }` takes `EXPR for x in LIST`
syntax-comprehension-3-label = not the form of this function
syntax-comprehension-3-help = write `{ $a }(EXPR for { $v } in { $list_text }{ $f })`, such as `{ $a }({ $v }.FIELD for { $v } in { $list_text })`
syntax-comprehension-4 = `{ $func }` does not take `… for x in …`
syntax-comprehension-4-label = not a list function
syntax-comprehension-4-help = only `sum`, `count`, `any` and `all` go over a list with `for`
check-duplicate-policy = a package has at most one `policy`
check-duplicate-policy-label = a second policy
check-duplicate-policy-also = the first one
check-duplicate-policy-help = keep one `policy` declaration for the package
check-duplicate = `{ $v }` is declared twice in enum `{ $e }`
check-duplicate-label = again here
check-duplicate-also = first here
check-duplicate-help = remove one of them
check-empty-enum = enum `{ $e }` has no variants
check-empty-enum-label = empty
check-empty-enum-help = list its values: `enum Size {"{"} small, large {"}"}`
check-builtin-name = `{ $name }` is the name of a built-in type
check-builtin-name-label = taken by the language
check-builtin-name-help = choose another name, such as `{ $name }_value`
check-duplicate-2 = `{ $name }` is declared twice
check-duplicate-2-label = { $global } named `{ $name }` again
check-duplicate-2-also = first declared here, as { $describe }
check-duplicate-2-help = all files of a package share one namespace: rename one of them
check-not-a-type = `{ $name }` is { $g }, not a type
check-not-a-type-label = not a type
check-not-a-type-help = a type is bool, int, decimal, money, date, duration, period, text, an enum, a record, or `list of TYPE`
check-unknown-type = unknown type `{ $name }`
check-unknown-type-label = no such type
check-duplicate-3 = field `{ $f }` is declared twice in `{ $rec }`
check-duplicate-3-label = again here
check-duplicate-3-also = first here
check-duplicate-3-help = remove or rename one of them
check-parameter-without-value = parameter `{ $par }` has no value
check-parameter-without-value-label = no `from DATE = VALUE`
check-parameter-without-value-help = give its value and the date it applies from: `from 2020-01-01 = 1900 yuan`
check-in-force-order = this clause would be in force from { $from } to { $to }, which is no time at all
check-in-force-order-label = the end comes before the start
check-in-force-order-help = write `in force { $to } to { $from }`
check-duplicate-4 = `{ $def }` is defined twice in clause `{ $clause }`
check-duplicate-4-label = again here
check-duplicate-4-also = first here
check-duplicate-4-help = give each definition its own name, or add an exception with `unless … then …`
check-duplicate-5 = clause `{ $clause }` has two `eligible if`
check-duplicate-5-label = a second condition
check-duplicate-5-also = the first
check-duplicate-5-help = join the conditions with `and` in one `eligible if`
check-benefit-type = a benefit is money, not { $shown }
check-benefit-type-label = not money
check-benefit-type-help = use `output` for results that are not money
check-amend-subject = clause `{ $clause }` is per { $o }, but `{ $clause2 }` is per { $t }
check-amend-subject-label = subjects of different types
check-amend-subject-help = amend a clause for the same kind of subject, or move the amendment to a clause without `for`
check-amend-subject-2 = clause `{ $clause }` is evaluated per { $o }, but `{ $clause2 }` is not per-subject
check-amend-subject-2-label = no subject to evaluate this amendment for
check-amend-subject-2-help = move this amendment to a clause without `for`
check-duplicate-6 = clause `{ $clause }` amends `{ $clause2 }.{ $a }` twice
check-duplicate-6-label = a second amendment
check-duplicate-6-also = the first
check-duplicate-6-help = join the conditions in one amendment, or write the second as an exception to the first in another clause
check-unknown-clause-label = not a clause
check-amend-eligible = eligibility cannot be amended from another clause
check-amend-eligible-label = `eligible` is not a definition
check-amend-eligible-help = amend a benefit or output of `{ $clause }` instead, or add the condition to its `eligible if`
check-unknown-member-label = not defined in that clause
check-amend-over = an amendment cannot be an exception to itself
check-amend-over-label = this is the amending clause
check-amend-over-help = name the clause whose amendment this one overrides
check-amend-over-2 = clause `{ $over }` does not amend `{ $path }`
check-amend-over-2-label = nothing to be an exception to
check-amend-cycle = these amendments are exceptions to each other: { $names }
check-amend-cycle-label = part of the loop
check-amend-cycle-help = one of them must amend the definition itself (drop its `over`)
check-duplicate-7 = parameter `{ $name }` has two values from { $from }
check-duplicate-7-label = same date again
check-duplicate-7-also = first value from this date
check-duplicate-7-help = keep one value per date
check-duplicate-8 = two tests are named "{ $t }"
check-duplicate-8-label = again here
check-duplicate-8-also = first here
check-duplicate-8-help = give each test its own name, so that a failure names one test
check-duplicate-9 = `today` is given twice in this test
check-duplicate-9-label = again here
check-duplicate-9-also = first here
check-duplicate-9-help = a test has one evaluation date; split it into two tests
check-duplicate-10 = `{ $written }` is given twice in this test
check-duplicate-10-label = again here
check-duplicate-10-also = first here
check-duplicate-10-help = give each fact once
check-unknown-input-label = not an input
check-no-field = { $shown } is not a list, so it has no item [{ $i }]
check-no-field-label = not a list
check-no-field-help = `[N]` picks an item of a list: `employer.hires[0]`
check-no-field-2 = { $shown } has no field `{ $seg }`
check-no-field-2-label = no such field
check-unknown-field-label = no such field
check-too-deep = `{ $name }` stands on a chain of { $d } definitions, each needing the next
check-too-deep-label = the top of the chain
check-too-deep-help = a chain may be at most { $arg } definitions long: compute intermediate values together, or sum a list
check-cycle-label = { $path } is needed here
check-source = cannot read the policy's source: { $e }
check-source-label = named here
check-source-help = `source` names a UTF-8 file inside the package directory, relative to it
check-quote = this quote is not in the source document `{ $file }`
check-quote-label = not found verbatim
check-on-date = `in force … on` tests a date, but this is { $shown }
check-on-date-label = { $shown }, not a date
check-condition = { $what } needs a condition, but this is { $shown }
check-condition-label = { $shown }, not bool
check-mismatch = { $what } is { $want }, but this is { $found }
check-mismatch-label = { $found }, expected { $want }
check-operator = cannot negate { $shown }
check-operator-label = `-` of { $shown }
check-operator-help = `-x` takes an int, a decimal, money or a duration
check-branches = the branches of this `if` differ: { $at } and { $bt }
check-branches-help = both branches must give { $at }
check-mismatch-2 = the members here are { $want }, but this is { $got }
check-mismatch-2-label = { $got }, expected { $want }
check-mismatch-2-help = all members of a list or set are of one type
check-record-value = the type of this record value is not known here
check-record-value-label = which record?
check-duplicate-11 = field `{ $name }` is given twice
check-duplicate-11-label = again here
check-duplicate-11-help = give each field once
check-clause-value = `{ $id }` is a clause, not a value
check-clause-value-label = a clause
check-clause-value-help = name one of its results: `{ $id }.{ $example }`
check-enum-value = `{ $id }` is an enum, not a value
check-enum-value-label = an enum
check-enum-value-help = name one of its variants: `{ $id }.{ $variants }`
check-record-name = `{ $id }` is a record type, not a value
check-record-name-label = a type
check-ambiguous-variant = `{ $id }` is a variant of several enums
check-ambiguous-variant-label = which enum?
check-ambiguous-variant-help = write { $or }
check-not-constant-label = not allowed here
check-unknown-name = unknown name `{ $id }`
check-unknown-name-label = not declared
check-per-subject = `{ $n }` is evaluated once per { $shown }: say for which
check-per-subject-label = for which subject?
check-per-subject-help = call it with a subject: `{ $n }({ $var }).{ $field }`, or over a list: `sum({ $n }(x).{ $field } for x in …)`
check-unknown-variant = enum `{ $n }` has no variant `{ $field }`
check-unknown-variant-label = no such variant
check-no-field-3 = { $shown } has no field `{ $field }`
check-no-field-3-label = `{ $b }` is { $shown }
check-not-per-subject = clause `{ $f }` has no subject to call it with
check-not-per-subject-label = not declared with `for`
check-not-per-subject-help = write `{ $f }.{ $field }`
check-arity = `{ $f }` is called with one subject, not { $args }
check-arity-label = one argument expected
check-arity-help = write `{ $f }(x).{ $field }`
check-at = `at` reads a parameter on another date
check-at-label = not a parameter
check-at-help = write `PARAMETER at DATE`, such as `minimum_wage at hire.hired_on`
check-operator-2-label = `{ $op }` does not apply to these types
check-comparison-label = these cannot be compared
check-clause-value-2 = a call of clause `{ $f }` is not a value
check-clause-value-2-label = which result?
check-comprehension = `{ $f }` goes over a list
check-comprehension-label = not the form of this function
check-comprehension-help = write `{ $form }`
check-unknown-function = unknown function `{ $f }`
check-unknown-function-label = not a function
check-arity-2 = `{ $f }` takes { $want }, but is given { $got }
check-arity-2-label = { $got ->
    [one] 1 argument
   *[other] { $got } arguments
}
check-arity-2-help = write `{ $usage }`
check-argument = `{ $f }` takes { $want }, not { $shown }
check-argument-2 = `{ $f }` compares values of one type: { $want } and { $got }
check-argument-2-label = { $got }, expected { $want }
check-not-a-list = `{ $func }` goes over a list, but this is { $shown }
check-not-a-list-label = { $shown }, not a list
check-not-a-list-help = name a field declared as `list of …`
check-argument-3 = `sum` adds numbers, money or durations, not { $shown }
check-argument-3-help = use `count(x in LIST if CONDITION)` to count
diag-mod-label = while evaluating this
eval-overflow = the result is too large
eval-overflow-help = check the facts of the case: an amount this large is not plausible
eval-division-by-zero = division by zero
eval-division-by-zero-help = guard the division: `if x = 0 then … else y / x`
eval-duration-kinds = cannot combine { $a } with { $b }: one counts months, the other days
eval-duration-kinds-help = give both durations in months (`12 months`, `1 year`) or both in days (`365 days`)
eval-date-range = the date falls outside years 1 to 9999
eval-internal = internal error: values of the wrong type met in `{ $what }`
eval-internal-help = this is a bug in Pol: please report it with the program and the case
eval-no-date = this needs the evaluation date, and none was given
eval-no-date-help = give `--on DATE`, or `"today": "YYYY-MM-DD"` in the case (`today = DATE` in a test)
eval-conflict = several exceptions to `{ $d }` apply with different values: { $parts }
eval-conflict-help = make the conditions exclusive, or make one an exception to the other with `amend … over …`
eval-parameter-date = parameter `{ $info }` has no value on { $date }: its first value is from { $first }
eval-parameter-date-help = evaluate on a date from { $first } on, or give `{ $info }` a value from an earlier date

## The semantic core: operators, built-in functions, dates

ops-1 = `{ $op }` joins conditions, but this is { $lt } { $op } { $rt }
ops-2 = both sides must be true/false conditions, such as `x >= 1 year`
ops-3 = subtract two dates for the duration between them, or add a duration to a date
ops-4 = write the date first: `DATE - DURATION`
ops-5 = money and time do not add up: check which value was meant
ops-6 = texts cannot be added
ops-7 = a period has no arithmetic: use its `.start` or `.end` (`P.end + 1 day`), or `span(P.start, 3 years)`
ops-8 = `+` and `-` take numbers, money, dates with durations, or durations
ops-9 = one side must be a number: `815 yuan * 12`, `15% of wage`
ops-10 = a duration multiplies only by an int; use a smaller unit (`18 months`, not `1.5 years`)
ops-11 = `*` takes numbers, money by a number, or a duration by an int
ops-12 = a number cannot be divided by money; divide money by money for a ratio
ops-13 = durations do not divide; compare them, or count whole units with `months_between`
ops-14 = `/` takes numbers, or money by a number or by money
ops-15 = `in` a period takes a date, not { $lt }
ops-16 = to ask whether two periods share a day, write `overlaps(P, Q)`
ops-17 = give the date to look for: `hire.hired_on in 2020-01-01..2020-12-31`
ops-18 = `{ $l }` is { $lt }, but the values after `in` are { $e }
ops-19 = the value and the members of the set must be of one type
ops-20 = `in` needs a set or a list on its right, not { $rt }
ops-21 = write the members in braces: `size in {"{"}micro, small{"}"}`
ops-22 = cannot compare { $lt } with { $rt } (`{ $l }` { $op } `{ $r }`)
ops-23 = `{ $op }` does not order periods (`{ $l }` { $op } `{ $r }`)
ops-24 = compare their days: `{ $l }.start { $op } { $r }.start`, or `.end`
ops-25 = `{ $op }` orders numbers, money, dates and durations, not { $t }
ops-26 = use `=` or `!=` to compare these values
ops-27 = a set can only follow `in`
ops-28 = write the date without quotes: `2020-12-31`
ops-29 = write a date as `2020-12-31`
ops-30 = to ask whether the date lies within the period, write `{ $d } in { $text }`; or compare with `{ $text }.start` or `{ $text }.end`
ops-31 = both sides must be of one type
ops-32 = give the number its unit: `{ $number } * { $one }`
builtin-1 = the smallest of its values
builtin-2 = the largest of its values
builtin-3 = money to the fen, or a decimal to a whole number, half away from zero
builtin-4 = the whole number at or below a decimal
builtin-5 = the whole number at or above a decimal
builtin-6 = the size of a number, amount or duration, without its sign
builtin-7 = whole years from the first date to the second
builtin-8 = whole months from the first date to the second
builtin-9 = days from the first date to the second
builtin-10 = the total of a list of numbers, amounts or durations
builtin-11 = 依次扣减: the total taken from each cap in turn
builtin-12 = the days from a first day to a last day, both included
builtin-13 = the period of a duration from a start day
builtin-14 = the calendar year of a date
builtin-15 = the calendar month of a date
builtin-16 = how many days the periods share
builtin-17 = how many calendar months the periods share, a part month counting as one
builtin-18 = the calendar months of a period, in order
builtin-19 = whether two periods share a day
builtin-20 = the first day of a period
builtin-21 = the last day of a period
builtin-22 = two values or more
builtin-23 = numbers, money, dates or durations
builtin-24 = these values have no order
builtin-25 = one value
builtin-26 = money is rounded with `round(x)` (to the fen); for whole yuan write `floor(x / 1 yuan) * 1 yuan`
builtin-27 = an int, a decimal, money or a duration
builtin-28 = give it a number
builtin-29 = money or a decimal
builtin-30 = give it a number or money
builtin-31 = give it a number
builtin-32 = two dates
builtin-33 = give two dates: `months_between(hire.hired_on, today)`
builtin-34 = one list
builtin-35 = a list of numbers, money or durations
builtin-36 = write `sum(x.amount for x in LIST)` to add up a field
builtin-37 = two dates
builtin-38 = give its first and last day: `period(hire.hired_on, 2020-12-31)`
builtin-39 = a date and a duration
builtin-40 = a date first
builtin-41 = a duration second
builtin-42 = give the length with its unit: `3 years`, `6 months`, `30 days`
builtin-43 = one date
builtin-44 = give the date whose year or month is meant: `year_of(today)`
builtin-45 = two periods
builtin-46 = one period or more
builtin-47 = a date is not a period: write `month_of({ $i })` or `period({ $i }, …)`
builtin-48 = give periods: `2020-01-01..2020-12-31`, `span(start, 3 years)`, `year_of(today)`
builtin-49 = one period
builtin-50 = give the period to cut into calendar months: `months(span(start, 3 years))`
builtin-51 = one period
builtin-52 = `.start` and `.end` are the first and last day of a period
builtin-53 = a total and a list of caps
builtin-54 = a total in money
builtin-55 = write the total with its unit: `7800 yuan`
builtin-56 = a list of money
builtin-57 = list the amounts in order: `[vat_due, eit_due]`
builtin-58 = this period would end on { $last }, before its first day { $start }
builtin-59 = give the first day first: `period(FIRST, LAST)`
builtin-60 = `span({ $start }, { $length })` has no days: its length is not positive
builtin-61 = give a length of at least one day: `span(start, 3 years)`
builtin-w1 = a period
builtin-w2 = a period
builtin-w3 = a decimal
builtin-w4 = a decimal
builtin-w5 = dates
builtin-w6 = dates
builtin-w7 = a date
builtin-w8 = periods
builtin-w9 = write `span(START, DURATION)`: `span(returnee.subsidy_start, 3 years)`
date-1 = `{ $t }` is not a date: write YYYY-MM-DD, such as 2020-06-01
date-2 = `{ $t }` is not a date: years run from 0001 to 9999
date-3 = `{ $t }` is not a date: there is no month { $m } (months run from 01 to 12)
date-4 = `{ $t }` is not a date: { $y }-{ $m } has { $last } days
date-5 = `{ $t }` is not a date: write YYYY-MM-DD, such as 2020-06-01
