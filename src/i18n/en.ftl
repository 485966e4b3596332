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
relation-equal = { $value }
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

## More of the checker, the syntax, cases and cells

syntax-one-of = { $first } or { $last }
syntax-reserved-word = `{ $word }` is a reserved word and cannot be a name — choose another, such as `{ $word }_value`
syntax-no-semicolon = Pol needs no `;` — remove it
syntax-double-quotes = texts are written in double quotes: "…"
syntax-unterminated-help = end it with `"` on the same line (write `\n` for a line break)
syntax-unclosed-brace = a `{"{"}` is not closed: add `{"}"}` at the end of the declaration
syntax-write-then = write `then` after a condition: `if C then A else B`, `unless C then A`
syntax-comments = comments start with `#`
syntax-invisible = this character is invisible or looks like a blank: delete it, or type an ordinary space
syntax-unterminated-label = this text has no closing `"` on its line
syntax-file-ends-expected = the file ends here; expected { $expected }
syntax-not-expected-here = not expected here
syntax-expected = expected { $expected }
syntax-unterminated = unterminated text
syntax-unexpected-end = unexpected end of file
syntax-unexpected-found = unexpected { $found }
phrase-end-of-file = the end of the file
phrase-end-of-line = the end of the line
phrase-name = a name
phrase-field-name = a field name
phrase-text = a text in double quotes
phrase-date = a date (YYYY-MM-DD)
phrase-expression = an expression
phrase-operator = an operator
phrase-type = a type
phrase-declaration = a declaration (`clause`, `record`, `enum`, `input`, `parameter`, `test` or `policy`)
phrase-clause-item = a clause item (`quote`, `let`, `eligible if`, `benefit`, `output` or `amend`)
phrase-test-item = a test item (`today = DATE`, a fact `PATH = VALUE` or `expect …`)
phrase-list-index = a list index (`[0]`)
phrase-field-declaration = a field (`name: type "label"`)
phrase-dated-value = a dated value (`from DATE = VALUE`)
phrase-field-value = a field (`name: value`)
phrase-unit = a unit
phrase-nul = NUL (a zero byte)
phrase-no-break-space = no-break space
phrase-zero-width-space = zero-width space
phrase-zero-width-non-joiner = zero-width non-joiner
phrase-zero-width-joiner = zero-width joiner
phrase-word-joiner = word joiner
phrase-bom = zero-width no-break space (byte-order mark)
phrase-line-separator = line separator
phrase-paragraph-separator = paragraph separator
phrase-soft-hyphen = soft hyphen
phrase-control-character = control character
phrase-space-character = space character
check-text-1 = an enum
check-text-2 = an input
check-text-3 = did you mean `{ $s }`?
check-text-4 = declare it with `record` or `enum`, or use a built-in type (bool, int, decimal, money, date, duration, text)
check-text-5 = `eligible if`
check-text-6 = the exception to `{ $def }`
check-text-7 = the amendment of `{ $clause }.{ $a }`
check-text-8 = did you mean `{ $s }`?
check-text-9 = name a clause declared in this package
check-text-10 = unknown clause `{ $id }`
check-text-11 = did you mean `{ $s }`?
check-text-12 = clause `{ $clause }` has no `{ $name }`
check-text-13 = no other clause amends `{ $path }`: drop `over { $over }`
check-text-14 = `{ $path }` is amended by { $amenders }
check-text-15 = did you mean `{ $s }`?
check-text-16 = declare the facts of a case with `input NAME: TYPE`
check-text-17 = the inputs are: { $inputs }
check-text-18 = a fact sets an input, and `{ $name }` is { $g }
check-text-19 = unknown input `{ $name }`
check-text-20 = pick an item first (`{ $before }[0].{ $seg }`), or give the whole list
check-text-21 = only records have fields
check-text-22 = did you mean `{ $s }`?
check-text-23 = no field `{ $field }` in `{ $rec }`
check-text-24 = { $path } depends on itself
check-text-25 = these definitions depend on each other: { $path }
check-text-26 = a definition cannot use its own value: compute it from other definitions and facts
check-text-27 = cycle: { $path } — one of them must be computed without the others
check-text-28 = the document goes on with «{ $document_next }» where the quote has «{ $quote_next }», after { $matched } matching characters; the passage reads: «{ $passage }»
check-text-29 = copy the sentence from the document exactly
check-text-30 = the closest passage of the document is «{ $passage }»
check-text-31 = test one of its days: `on { $text }.start`
check-text-32 = name the date of the event the text bounds, such as `on hire.hired_on`
check-text-33 = to check a value, write `expect { $text } = VALUE`
check-text-34 = compare it: `{ $text } > 0`
check-text-35 = compare it: `{ $text } > 0 yuan`
check-text-36 = compare it: `{ $text } >= 1 year`
check-text-37 = compare it: `{ $text } <= today`
check-text-38 = compare it: `{ $text } = { $variants }`
check-text-39 = write a condition that is true or false
check-text-40 = give it a unit: `{ $text } * 1 yuan`
check-text-41 = write `true` or `false` without quotes
check-text-42 = write one of { $variants } without quotes
check-text-43 = make it whole with `round(x)`, `floor(x)` or `ceil(x)`
check-text-44 = divide by `1 yuan` for a plain number
check-text-45 = a benefit is an amount; put the condition in `eligible if`
check-text-46 = count whole units with `months_between` or `days_between`
check-text-47 = give a value of type { $expected }
check-global-record = a record
check-global-parameter = a parameter
check-global-clause = a clause
expr-text-1 = a { $t } is expected here, not a record
expr-text-2 = write it where its record type is known: as a fact (`hire = {"{"}…{"}"}`) or in a list of records
expr-text-3 = an input
expr-text-4 = declare an input of this type (`input x: { $id }`) and read its fields
expr-text-5 = read the fact through its input: { $or }
expr-text-6 = a parameter's value cannot read { $what } (`{ $id }`)
expr-text-7 = parameters are the same for every case: write a constant, or make this a `let` in a clause
expr-text-8 = a test's fact is a value and cannot read { $what } (`{ $id }`)
expr-text-9 = write the value itself: `2 years`, `812.40 yuan`, `small`
expr-text-10 = did you mean `{ $s }`?
expr-text-11 = outside a clause, name a clause's result as `CLAUSE.NAME`
expr-text-12 = declare it (`input`, `parameter`, `let` in this clause), or check the spelling
expr-text-13 = did you mean `{ $s }`?
expr-text-14 = a list has no fields; go over it: `sum(x.{ $field } for x in …)`
expr-text-15 = a period has `.start` (its first day) and `.end` (its last day)
expr-text-16 = only records have fields
expr-text-17 = the subject of `{ $f }`
expr-text-18 = the date after `at`
expr-text-19 = name one of its results: `{ $f }(…).eligible` or `{ $f }(…).NAME`
expr-text-20 = `{ $f }` has no subject: write `{ $f }.NAME`
expr-text-21 = did you mean `{ $s }`?
expr-text-22 = the built-in functions are { $builtin_functions }
expr-text-23 = give every value the same type
expr-text-24 = the `if` of a list function
eval-text-1 = did you mean `{ $s }`?
eval-text-2 = name a clause (`hiring_subsidy`) or one of its results (`hiring_subsidy.amount`)
eval-text-3 = there is no result `{ $name }`: { $hint }
eval-text-5 = { $v } from clause `{ $clause }`{ $label }
case-text-1 = this key is given twice in the same object
case-text-2 = give each fact once: remove one of the two
case-text-3 = the case is not valid JSON: { $e }
case-text-4 = a case is one JSON object: {"{"}"today": "2020-06-01", "hire": {"{"}…{"}"}{"}"}
case-text-5 = a case is a JSON object, not { $json }
case-text-6 = write the facts as {"{"}"today": "2020-06-01", "hire": {"{"}…{"}"}{"}"}
case-text-7 = did you mean "{ $s }"?
case-text-8 = there is no { $what } here
case-text-9 = there is no { $what } `{ $key }`
case-text-10 = an object
case-text-11 = an int is a whole number
case-text-12 = this is beyond a 64-bit int
case-text-13 = write the number without quotes: { $trim }
case-text-14 = write { $s } without quotes
case-text-15 = `{ $path }` is not given, so it has no item [{ $first }]
case-text-16 = give the list first: `{ $path } = [{"{"}…{"}"}, …]`
case-text-17 = `{ $path }` has { $n ->
    [one] 1 item
   *[other] { $n } items
}, so there is no [{ $first }]
case-text-18 = give the list first: `{ $path } = [{"{"}…{"}"}, …]`
case-text-19 = items are counted from 0: the only one is [0]
case-text-20 = items are counted from 0: [0] to [{ $n }]
case-text-21 = `{ $path }` has no part { $first }
case-json-bool = a bool
case-json-number = a number
case-json-text = a text
case-json-list = a list
cell-text-1 = true or false
cell-text-2 = a whole number
cell-text-3 = a number or a text such as "0.5" or "15%"
cell-text-4 = an amount with at most 2 decimals, such as "812.40"
cell-text-5 = a duration such as "2 years", "6 months" or "30 days"
cell-text-6 = one of { $arg }
cell-text-7 = an object with the fields of `{ $index }`
cell-text-8 = a list of { $t }
cell-text-9 = { $json } has more than { $max_digits } significant digits, more than Pol holds exactly
cell-text-10 = give the amount in yuan with at most 2 decimals (fen)
cell-text-11 = expected an amount with at most 2 decimals, such as "812.40", got { $json }
cell-text-12 = { $json } is too large an amount of money
cell-text-13 = money goes up to about 7.9 × 10^26 yuan
cell-text-14 = money has at most 2 decimals (fen), got { $json }
cell-text-15 = round it to the fen: "{ $amount }"
cell-text-16 = write a period as "FIRST..LAST", both days included: "2020-01-01..2020-12-31"
cell-text-17 = "{ $s }" is not a period
cell-text-19 = "{ $s }" is not a period: it ends before it starts
cell-text-20 = "{ $s }" is not a date
cell-text-21 = give a whole number of days, weeks, months or years: "18 months", "2 years"
cell-text-22 = "{ $s }" is not a variant of `{ $index }`
cell-text-23 = did you mean "{ $v }"?
cell-text-24 = give one of { $variants }
cell-text-25 = write true or false (or 是 or 否)

cell-first-not-date = "{ $s }" is not a period: its first day "{ $day }" is not a date
cell-last-not-date = "{ $s }" is not a period: its last day "{ $day }" is not a date
cell-write-period = write "{ $last }..{ $start }"

diagnostic-help = help:

## The REPL
repl-1 = error: { $count ->
    [one] 1 error
   *[other] { $count } errors
} in { $path }; the session keeps { $package }
repl-no-package = no package
repl-2 = error: load a package first: `:load PACKAGE`
repl-3 = error: cannot read the case: { $e }
repl-4 = loaded the case { $file }
repl-5 = evaluating on the case's date, { $d }
repl-6 = no evaluation date
repl-7 = evaluating on { $d }
repl-8 = error: load a package first: `:load PACKAGE`
repl-9 = the current case is the baseline
repl-10 = back to the baseline
repl-11 = no result changed
repl-12 = error: load a package first: `:load PACKAGE`
repl-13 = error: `{ $arg }` is not the path of a fact, such as `hire.contract_term` or `employer.hires[0].wage`
repl-14 = no evaluation date
repl-15 = error: some results failed to evaluate (shown above)
repl-16 = every result is determined
repl-17 = no result changed
repl-18 = no result differs from the baseline
repl-19 = error: write `:diff --policy OTHER` (a package's directory or file, or git:REV:PATH)
repl-20 = error[{ $code }]: the case does not fit { $spec }: { $e }
repl-21 = this package → { $spec }, the current case under both
repl-22 = ({ $spec } has no { $dropped }: left out of its case)
repl-23 = { $k }: { $b } → (not in { $spec })
repl-24 = { $k }: (only in { $spec }) → { $a }
repl-25 = no result differs
repl-26 = error: load a package first: `:load PACKAGE`
repl-27 = error: load a package first: `:load PACKAGE`
repl-28 = saved the case to { $file }
repl-29 = error: cannot save the case: { $e }
repl-30 = error: load a package first: `:load PACKAGE`
repl-32 = To compare at the prompt, put a comparison in parentheses: `(hire.si_months = 12)`.
repl-33 = Built-in functions:

repl-command-help-1 = load a package (a .pol file or a directory)
repl-command-help-2 = load a case (JSON); it becomes the baseline
repl-command-help-3 = evaluate on DATE (`:on off`: the case's own date)
repl-command-help-4 = set a fact: `hire.contract_term = 6 months`; shows what changed
repl-command-help-5 = make a fact unknown again
repl-command-help-6 = evaluate any expression: `hiring_subsidy.amount`
repl-command-help-7 = every result of the package, or of the clauses and results named
repl-command-help-8 = explain a result (or any expression)
repl-command-help-9 = the facts still missing for undetermined results
repl-command-help-10 = every result that differs from the baseline
repl-command-help-11 = the case under OTHER too (a package, or git:REV:PATH): what differs
repl-command-help-12 = make the current case the baseline
repl-command-help-13 = return to the baseline
repl-command-help-14 = the current case, as JSON
repl-command-help-15 = write the current case as JSON
repl-command-help-16 = print the current case as a `test` block, results as expectations
repl-command-help-17 = this list
repl-command-help-18 = leave (or Ctrl-D)
repl-command-1 = `:{ $name }` needs an argument: { $usage }
repl-command-2 = unknown command `:{ $name }` — { $hint }

repl-loaded = loaded { $path }: { $clauses ->
    [one] 1 clause
   *[other] { $clauses } clauses
}, { $inputs ->
    [one] 1 input
   *[other] { $inputs } inputs
}
repl-needs = { $result } needs { $needs }
ops-cannot-add = cannot add { $lt } and { $rt } (`{ $l }` { $op } `{ $r }`)
ops-cannot-subtract = cannot subtract { $lt } and { $rt } (`{ $l }` { $op } `{ $r }`)
ops-cannot-multiply = cannot multiply { $lt } and { $rt } (`{ $l }` { $op } `{ $r }`)
ops-cannot-divide = cannot divide { $lt } and { $rt } (`{ $l }` { $op } `{ $r }`)
check-write-yuan = write `{ $text } yuan`
check-write-months-or-days = write `{ $text } months` or `{ $text } days`
check-date-without-quotes = write the date without quotes: `{ $text }`
check-number-without-quotes = write the number without quotes: `{ $text }`
list-separator = {", "}

## Files, packages, batches, workbooks and the command line
files-1 = `{ $shown }` does not exist
files-2 = `{ $shown }` is { $kind }, not a regular file: give a file (or `-` for standard input)
files-3 = `{ $shown }` is larger than { $limit } MiB, more than Pol reads whole
files-4 = `{ $shown }` is not UTF-8 text: save it as UTF-8
files-5 = `{ $shown }` lies outside `{ $dir }` (after following links): keep it inside
files-6 = a special file
files-kind-fifo = a FIFO
files-kind-device = a device
files-kind-socket = a socket
files-kind-directory = a directory
package-1 = `{ $shown }` does not exist: give a `.pol` file or a directory of them
package-2 = cannot read the package: { $e }
package-3 = `{ $shown }` holds no `.pol` files: give a package directory or a `.pol` file
package-4 = `{ $shown }` is not a `.pol` file: give a `.pol` file or a directory of them (or `-` for standard input)
batch-text-1 = interrupted after { $n } rows
batch-text-2 = column { $n } `{ $name }` names the same fact as column { $first }: give each fact one column
batch-text-4 = column { $n } `{ $name }` is not a fact of the package: { $detail }
batch-text-5 = this row has { $cells } cells, the header { $columns } columns
batch-text-6 = the file is empty: it needs a header row naming the facts
batch-text-7 = the header is longer than { $arg } MiB: is this a CSV file?
batch-text-8 = the header is not UTF-8 text: save the file as UTF-8, or give its encoding (--encoding gbk)
batch-text-9 = row { $rows } is longer than { $arg } MiB: nothing from it on was evaluated
batch-text-10 = this row is not UTF-8 text: save the file as UTF-8, or give its encoding (--encoding gbk)
batch-text-11 = an empty line: each line is one case (a JSON object)
batch-text-12 = row { $n } is not UTF-8 text: save the file as UTF-8, or give its encoding (--encoding gbk)
batch-text-13 = there is no row 0: rows are numbered from 1, the first after the header
batch-text-14 = there is no row { $n }: the file has { $number } rows
encoding-1 = there is no encoding `{ $other }` here: write utf-8, gbk (or gb18030), or auto
encoding-2 = cannot read `{ $name }`: { $e }
encoding-3 = note: `{ $name }` is not UTF-8: read as GBK/GB18030 (as Excel saves CSV on Chinese Windows); `--encoding utf-8` or `--encoding gbk` says which
encoding-4 = `{ $name }` is neither UTF-8 nor GBK/GB18030 text: save it as "CSV UTF-8" (in Excel: File › Save As), or give its encoding with --encoding
encoding-5 = byte { $at } of the file is not GBK/GB18030 text: give its encoding with --encoding
xlsx-1 = cannot read the workbook `{ $path }`: { $e }
xlsx-2 = the workbook `{ $path }` has no sheet
xlsx-3 = cannot read the first sheet of `{ $path }`: { $e }
xlsx-4 = `{ $path }`: the cell at row { $r }, column { $c } holds the error { $e }: fix it in the workbook
xlsx-5 = cannot write the workbook: { $e }
cli-text-1 = error: `{ $cases }` is neither .csv nor .jsonl: name the cases file by its format
cli-text-2 = error: results are written to a workbook from the rows of a .csv or a workbook; from .jsonl cases, write .jsonl
cli-text-3 = error: --out `{ $o }` is the cases file itself: the results would replace the cases; write them to another file
cli-text-4 = error: `{ $o }`: the results are written in the format of the cases ({ $extension }): name the output file `….{ $extension }`
cli-text-5 = error: --out `{ $o }` is the cases file itself: the results would replace the cases; write them to another file
cli-text-6 = error: cannot write the results: { $e }
cli-text-7 = ; `{ $target }` was not written
cli-text-8 = ; the rows printed above are only part of the results
cli-text-9 = error: cannot write the results: { $e }
cli-text-10 = interrupted after { $rows ->
    [one] 1 row
   *[other] { $rows } rows
}{ $file_out }
cli-text-11 = nothing was evaluated: the header names the facts of each column (an input, `input.field`, or `input.list[0].field`)
cli-diff-1 = error: the old version `{ $spec }` has errors:
cli-diff-new-errors = error: the new version `{ $spec }` has errors:
cli-diff-old-load = error: old version: { $error }
cli-diff-new-load = error: new version: { $error }
cli-diff-2 = error: --out -: the summary is written on standard output; give --out a file (….csv or ….jsonl) for the changed cases
cli-diff-3 = error: --out `{ $shown }`: the changed cases are written as .csv, .jsonl or .xlsx: name the file by its format
cli-diff-4 = error: --out `{ $shown }` is the cases file itself: write the changed cases to another file
cli-diff-5 = error: --plot `{ $shown }`: the chart is drawn as SVG: name it `….svg` (a browser opens it; `--format html` puts it in a report)
cli-diff-6 = error: cannot write the changed cases: { $e }
cli-diff-7 = interrupted after { $rows } rows: nothing was reported or written
cli-diff-8 = nothing was compared: the header names the facts of each column (an input, `input.field`, or `input.list[0].field`, of either version)
cli-diff-9 = error: cannot write the changed cases: { $e }
cli-diff-10 = error: cannot write the chart `{ $shown }`: { $e }
cli-diff-11 = error: cannot draw the chart: { $e }
cli-diff-12 = error: some rows could not be read (counted above): `pol eval VERSION --cases { $cases } --explain-row N` says why

ops-write-with-unit = write `{ $value }`
what-parameter = parameter `{ $name }`
what-field = field `{ $name }`
csv-after-quote = text after the closing quote at column { $column }
csv-unclosed-quote = a quoted cell that starts at column { $column } is not closed

## Versions and comparisons, the server, the editor
version-1 = cannot run git: { $e }
version-2 = `{ $spec }` names no path: write `git:REVISION:PATH`, as `git:HEAD~1:policies/xuchang-2021`
version-3 = `{ $spec }`: the current directory is in no git repository ({ $e })
version-4 = `{ $spec }`: there is no revision `{ $rev }` in this repository (see `git log --oneline`)
version-5 = `{ $spec }`: there is no `{ $path }` at { $rev } (paths are from the top of the repository, or from here with `./`)
version-6 = `{ $spec }`: cannot make a temporary directory: { $e }
version-7 = `{ $spec }`: cannot write { $file }: { $e }
version-8 = `{ $spec }`: cannot write { $file }: { $e }
version-9 = `{ $spec }` is not a `.pol` file: name a package's directory or one of its `.pol` files
version-10 = `{ $spec }`: cannot write { $base }: { $e }
version-11 = `{ $spec }`: there is no `.pol` file under `{ $path }` at { $rev }
version-12 = `{ $spec }` is a git { $other }, not a package: name a directory or a `.pol` file
diff-text-1 = --results: { $e } (in neither version)
diff-text-2 = --by `{ $path }` is a fact of neither version ({ $column })
diff-text-3 = --by `{ $path }` is { $ty }: a breakdown is by a fact of a few values, a bool or an enum
diff-text-4 = { $i } (in neither version)
diff-text-5 = column { $i } `{ $i2 }` names the same fact as column { $first }: give each fact one column
diff-text-6 = this row is not UTF-8 text: save the file as UTF-8, or give its encoding (--encoding gbk)
diff-text-7 = this row has { $cells } cells, the header { $header_len } columns
diff-text-8 = an empty line: each line is one case (a JSON object)
diff-text-9 = `{ $p }` is a fact of neither version: check its name
diff-text-10 = (row not read)
serve-api-1 = ?explain={ $v }: write ?explain=true or ?explain=false
serve-api-2 = there is no query parameter `{ $other }`: the parameters are on, results and explain
serve-api-3 = the body is not UTF-8 text
serve-api-4 = `{ $path }` is not the path of a fact, such as `hire.contract_term` or `employer.hires[0].graduate`
serve-api-5 = `{ $path }`: there is no list before [{ $index }] in the case
serve-api-6 = `{ $path }`: the list has { $n } items, numbered from 0
serve-api-7 = the body is not UTF-8 text
serve-api-8 = `changes` is missing: write {"{"}"case": {"{"}…{"}"}, "changes": {"{"}"hire.contract_term": "6 months"{"}"}{"}"}
serve-api-9 = there is no `{ $k }` in a what-if: it has `case` and `changes`
serve-api-10 = `today` is the evaluation date: give it with ?on=DATE
serve-text-1 = the body is larger than { $limit } KiB, the most this endpoint takes
serve-text-2 = the body cannot be read: { $body_text }
serve-text-3 = the query cannot be read
serve-text-4 = the query cannot be read: { $e }
serve-text-5 = the server is stopping
serve-text-6 = the evaluation took longer than { $as_secs } s: evaluate fewer results (?results=) or a smaller case
serve-text-7 = the evaluation stopped: { $e }: this is a bug in Pol, please report it
serve-text-8 = a what-if has no explanations: ask /api/evaluate?explain=true of the changed case
serve-text-9 = a batch has no explanations: ask /api/evaluate?explain=true of one case
serve-text-10 = there is no { $path }: the endpoints are GET /api/spec, GET /api/openapi.json, GET /api/examples, POST /api/evaluate, POST /api/whatif, POST /api/batch, and the page at /
serve-text-11 = { $method } { $path } is not served: see GET /api/openapi.json
serve-text-12 = { $path } has errors: still serving the last version that checked
serve-text-13 = cannot start the server: { $e }
serve-text-14 = cannot listen on { $addr }: { $e }
serve-text-15 = cannot listen on { $addr }: { $e }
serve-text-16 = serving { $path } on http://{ $local }
serve-text-17 = the server stopped: { $e }
lsp-text-1 = The package has errors: this is the last version that checked.
lsp-text-2 = In the test "{ $test }": **{ $shown }**
lsp-text-3 = `{ $name }` is not a name Pol allows: a letter or _, then letters, digits or _, and no reserved word
lsp-text-4 = ✓ passes — run test
lsp-text-5 = ✗ { $failures ->
    [one] 1 expectation fails
   *[other] { $failures } expectations fail
} — run test
lsp-text-6 = pol.runTest takes the file's URI and the test's name
lsp-text-7 = pol.runTest takes the file's URI and the test's name
lsp-text-8 = the file is not open
lsp-text-9 = there is no test "{ $name }" (does the package check?)
lsp-text-10 = a variant of `{ $e }`
lsp-text-11 = in force { $dates }
lsp-text-12 = the command is pol.runTest
lsp-text-13 = { $method } is not served
lsp-text-14 = the editor did not initialize: { $e }
lsp-text-15 = the editor did not initialize: { $e }


## The letter for the citizen

letter-untitled = The policy
letter-heading = { $title }: the decision on your case
letter-issued = issued { $date }
letter-evaluated-on = assessed on { $date }
letter-decision = Decision
letter-total = In all: { $amount }
letter-no-amount = No amount is paid on the facts given.
letter-counts = { $applies ->
    [one] 1 clause applies
   *[other] { $applies } clauses apply
}, { $not ->
    [one] 1 does not
   *[other] { $not } do not
}, and { $undecided ->
    [one] 1 cannot be decided
   *[other] { $undecided } cannot be decided
} on the facts given.
letter-undetermined-amounts = { $count ->
    [one] 1 amount is
   *[other] { $count } amounts are
} not in the total: { $count ->
    [one] it needs
   *[other] they need
} facts the case does not give (see below).
letter-facts = The facts of the case
letter-no-facts = The case gives no facts.
letter-applies = What applies
letter-does-not-apply = What does not apply
letter-because = because:
letter-undecided = What cannot be decided yet
letter-undecided-note = These clauses need facts the case does not give; with them, they can be assessed.
letter-needs = needs { $needs }
letter-failed = What could not be assessed
letter-included-in = included in { $result }
letter-footer = Assessed by Pol from the text of “{ $title }”. The quotes are the policy's own words; the amounts follow from the facts listed above.
letter-clause-title = { $label } ({ $clause })
letter-fact = { $name }: { $value }
letter-yes = yes
letter-no = no
letter-money = { $amount } yuan
letter-years = { $count ->
    [one] 1 year
   *[other] { $count } years
}
letter-months = { $count ->
    [one] 1 month
   *[other] { $count } months
}
letter-days = { $count ->
    [one] 1 day
   *[other] { $count } days
}
letter-period = { $start } to { $end }
letter-not-given = not given

## Lists in CSV

batch-column-index = column { $n } `{ $name }`: `{ $written }` is not an item's place: items are counted from 0, `[0]`, `[1]`, …
batch-column-list-field = column { $n } `{ $name }`: `{ $list }` is a list, so a column gives a field of one item: `{ $first }`, `{ $second }`, … (as many items as a row may have)
batch-column-list = column { $n } `{ $name }` is { $ty }: give each item's fields a column — { $example } (as many items as a row may have) — or give the items in a CSV of their own, or use JSONL
batch-column-record = column { $n } `{ $name }` is { $ty }: a cell holds one value — give each field a column: { $example }
batch-column-nested-list = column { $n } `{ $name }` picks an item of a list inside a list's item: a CSV gives one level of lists; use JSONL for this case
batch-items-gap = `{ $list }[{ $given }]` has cells but `{ $list }[{ $missing }]` has none: give a row's items from [0] on, without gaps
cell-expected-got = expected { $expected }, got "{ $got }"
cli-error-code = error[{ $code }]: { $message }
cli-list-needs-key = error: --list needs --key COLUMN: the column of the cases and of each list's file that says which case a row belongs to
cli-list-needs-file = error: --list needs the cases in a file: they are read twice, to join the lists to them first
cli-list-form = error: --list `{ $spec }`: write LIST=FILE, such as `--list employer.hires=hires.csv`
cli-list-csv = error: --list `{ $file }`: a list's file is a .csv (or a workbook)
cli-list-cases-csv = error: --list joins lists to cases in a .csv (or a workbook); JSONL cases give their lists in each line
linked-not-records = --list { $list }: it is { $ty }; a list's file gives a list of records, a row per item
linked-no-key-column = `{ $file }` has no column `{ $key }`: --key names the column that joins the cases and the lists' files
linked-column-twice = `{ $file }`: column { $n } `{ $name }` is given twice
linked-column = `{ $file }`: column { $n } `{ $name }`: { $error }
linked-not-utf8 = `{ $file }` row { $row } is not UTF-8 text: save the file as UTF-8, or give its encoding (--encoding gbk)
linked-row = `{ $file }` row { $row }: { $error }
linked-row-no-key = `{ $file }` row { $row } has no `{ $key }`: each row names the case it belongs to
linked-not-a-list-path = --list `{ $list }` is not the path of a list, such as `employer.hires`
linked-unknown-list = --list `{ $list }`: { $detail }
linked-nested = --list `{ $list }` is a list inside a list's item: a list's file gives one level; use JSONL for this case
linked-not-a-list = --list `{ $list }` is { $ty }, not a list
linked-not-a-record = `{ $part }` is a field of something that has no fields
linked-fields-are = the fields are: { $fields }
linked-no-field = `{ $record }` has no field `{ $field }` ({ $hint })
linked-list-in-item = `{ $name }` is a list inside an item: a list's file gives one level; use JSONL for this case
linked-record-column = `{ $name }` is a { $ty }: give each of its fields a column (`{ $name }.FIELD`)
linked-orphan = `{ $key }` (row { $row })
linked-orphans = `{ $file }`: { $count ->
    [one] 1 row names
   *[other] { $count } rows name
} no case of `{ $cases }` by its `{ $key }`, so { $count ->
    [one] it
   *[other] they
} would be left out: { $shown }; add the cases, or remove the rows
linked-cases-no-key = the cases have no column `{ $key }`: --key names the column that joins them to the lists' files
linked-case-no-key = this row has no `{ $key }`: it is the key of the lists given with --list
linked-duplicate-key = `{ $column }` `{ $key }` is the key of rows { $rows }: each case has its own key, so the lists' rows belong to one
cli-row = row { $row }: { $message }
cli-help = help: { $help }
cli-in-file = { $file }: { $message }

## The report of pol diff

diff-heading = { $old } → { $new }: { $cases ->
    [one] 1 case
   *[other] { $cases } cases
}, { $changed } changed ({ $percent })
diff-unread-rows = rows that could not be read: { $before } by { $old }, { $after } by { $new } (their results count as failed)
diff-label-cases = cases
diff-label-failed = failed
diff-label-total = total
diff-label-paid = paid in
diff-label-gains = gains
diff-label-losses = losses
diff-one-side-total = total { $total } yuan, paid in { $paid ->
    [one] 1 case
   *[other] { $paid } cases
}
diff-one-side-undetermined = { $count } undetermined
diff-changed = { $count } changed
diff-gained = { $count } gained
diff-lost = { $count } lost
diff-became-eligible = { $count } became eligible
diff-stopped-eligible = { $count } stopped being eligible
diff-became-true = { $count } became true
diff-became-false = { $count } became false
diff-became-undetermined = { $count } became undetermined
diff-became-determined = { $count } became determined
diff-failed = { $before } before, { $after } after
diff-total = { $before } → { $after } yuan ({ $difference })
diff-paid = { $before ->
    [one] 1 case
   *[other] { $before } cases
} → { $after ->
    [one] 1 case
   *[other] { $after } cases
}
diff-median = median
diff-spread = { $count }: smallest { $smallest }, { $quantiles }, largest { $largest }
diff-largest-gains = largest gains:
diff-largest-losses = largest losses:
diff-row = row { $row }
diff-unchanged = { $count ->
    [one] 1 result is
   *[other] { $count } results are
} the same for every case
diff-only-in = only in { $version }: { $results }
diff-by = by { $fact }
diff-column-value = value
diff-column-cases = cases
diff-column-changed = changed
diff-html-heading = What the change does:
diff-html-cases = { $count ->
    [one] 1 case,
   *[other] { $count } cases,
}
diff-html-changed = { $count } changed.
diff-html-unread = Rows that could not be read: { $before } by the old version, { $after } by the new.
diff-html-results = Results that changed
diff-html-col-result = result
diff-html-col-gained = gained
diff-html-col-lost = lost
diff-html-col-became-eligible = became eligible
diff-html-col-stopped-eligible = stopped being eligible
diff-html-col-became-undetermined = became undetermined
diff-html-col-total-before = total before
diff-html-col-total-after = total after
diff-html-col-difference = difference
diff-html-only-old = (only in the old version)
diff-html-only-new = (only in the new version)
diff-html-none = No result changed for any case.
diff-html-distribution = Distribution of the changes
diff-html-largest = Largest changes of
diff-html-row-gains = row (gains)
diff-html-row-losses = row (losses)
diff-html-before = before
diff-html-after = after
diff-html-by = By
diff-html-footer = Amounts in yuan, exact to the fen. A total is over the cases where the amount is determined in that version. Made by pol diff.
diff-chart-none = no amount changed
diff-chart-per-case = { $key }: change per case (yuan)
diff-chart-by = total by { $fact } (grey before, blue after)
lsp-fix-full-width = Write `{ $typed }` as `{ $ascii }`
lsp-fix-all-full-width = Write the full-width punctuation of this file in ASCII ({ $count ->
    [one] 1 place
   *[other] { $count } places
})
lsp-test-passes = test "{ $name }" passes
lsp-test-failure = line { $line }: expected { $expected }, found { $actual }
lsp-test-fails = test "{ $name }" fails: { $failures }
cli-no-test-matches = error: no test's name contains `{ $filter }`: `pol test PATH` lists every test
cli-cannot-write-junit = error: cannot write the JUnit report: { $error }
cli-uncovered = not named by any test: { $count } of { $all } clauses ({ $clauses })
duration-kind-months = months
duration-kind-days = days
check-duration-kinds = `{ $left }` counts { $left_kind } and `{ $right }` counts { $right_kind }: a count of days never meets a count of months
check-duration-kinds-label = days and months
check-duration-kinds-help-date = add the duration to the date instead: `{ $written }`
check-duration-kinds-help = give both in days (`365 days`) or both in months (`12 months`, `1 year`); `months_between(A, B)` counts the whole months between two dates
check-policy-in-force-on = the policy's validity is the dates of its text, not of an event
check-policy-in-force-on-label = `on` belongs to a clause
check-policy-in-force-on-help = drop `on …` here, and give the clause that is about an event its own `in force FROM to TO on EVENT_DATE`
explain-in-force-inherited = { $line } (the policy's validity)
check-policy-in-force-order = this policy would be in force from { $from } to { $to }, which is no time at all
sql-refused = `{ $result }` cannot be compiled to SQL: { $what }
sql-refused-label = not compiled to SQL
sql-refused-help = leave this result out with `--results`, or evaluate it with `pol eval --cases`; docs/sql.md lists what SQL holds
sql-schema-skipped = { $path } ({ $ty }): not held in SQL yet
sql-what-local = it reads the subject of a per-subject clause or the variable of a comprehension
sql-what-record = it computes a record, or compares records
sql-what-operation = this operation is not compiled to SQL
sql-what-list = it computes a list that is not written out item by item
sql-what-list-fact = it reads the list `{ $path }`: lists are not held in SQL yet
sql-what-period-fact = it reads the period `{ $path }`: period facts are not held in SQL yet
sql-what-per-subject = it reads the per-subject clause `{ $clause }`
sql-what-division = no engine divides decimals exactly: only money divided by an int (or by a decimal written with at most 6 places) is compiled
sql-what-duration-kinds = the program does not fix whether these durations count months or days
sql-what-parameter = the parameter `{ $name }` has values SQL does not hold
cli-sql-refused = { $count ->
    [one] 1 result is
   *[other] { $count } results are
  } not compiled to SQL ({ $compiled } would be)
sql-what-nested-list = it reads a list inside the work of another list's items

## pol eval --engine duckdb
duckdb-not-found = --engine duckdb needs the DuckDB command-line program, and `duckdb` is not on PATH
    {"  "}help: install it (`pip install duckdb-cli`, or from https://duckdb.org), or name it with POL_DUCKDB=/path/to/duckdb
duckdb-not-found-env = POL_DUCKDB names `{ $path }`, which is not a file
    {"  "}help: set POL_DUCKDB to the path of the `duckdb` program, or unset it to use the one on PATH
duckdb-csv-only = error: --engine duckdb writes CSV: give --out a .csv file, or none for stdout
duckdb-lists = the package's results read lists ({ $lists }), which --engine duckdb does not hand to DuckDB yet
    {"  "}help: evaluate without --engine duckdb, or leave those results out with --results
duckdb-refused = { $count ->
    [one] 1 result does not compile to SQL
   *[other] { $count } results do not compile to SQL
}
    {"  "}help: evaluate without --engine duckdb, or leave those results out with --results
duckdb-bad-row = DuckDB gave a row that is not one of the query's: { $row }
duckdb-rows-lost = the input has { $rows } rows, and { $written } were written ({ $held } given to DuckDB): the results are incomplete
duckdb-failed = error: the batch in DuckDB failed: { $message }{ $file_out }
check-default-today = a default or a range is the same for every case and cannot read `today`
check-default-today-help = write a date (`2021-01-01`); a rule that counts from today belongs in a clause
check-default-not-constant = a default or a range is a value written out and cannot read { $what } (`{ $id }`)
check-default-type = `{ $path }` is of type { $ty }, which cannot have a default
check-default-type-label = a default here
check-default-type-help = give defaults to the fields of a record, one by one (`retired: bool = false`); a list or a period has none
what-default = the default of `{ $path }`
explain-fact-default = { $fact } = { $value } (assumed: the default; the case does not give it)
sql-what-default = it reads a duration fact with a default
check-range-type = `{ $path }` is of type { $ty }, which has no range
check-range-type-label = a range here
check-range-type-help = a range bounds an int, a decimal, money or a date (`si_months: int >= 0`)
check-range-bound = a bound of `{ $path }`'s range is not a value written out
check-range-bound-label = not a literal
check-range-bound-help = write the bound itself: `0`, `1.5`, `0 yuan`, `2020-01-01`
check-range-empty = the range of `{ $path }` ({ $range }) holds no value
check-range-empty-label = the lower bound is above the upper
check-range-empty-help = write the lower bound first: `between LOW and HIGH`
check-default-range = the default of `{ $path }` is outside its range ({ $range })
check-default-range-label = outside the range
check-default-range-help = every case that leaves the fact out would be an error: give a default that is { $range }
what-range = the range of `{ $path }`
case-range = { $value } is outside its range: it must be { $range }
case-range-help = the package declares `{ $fact } { $range }`: correct the case
sql-range-error = `{ $path }` is outside its range: it must be { $range }
eval-negative-cap = `allocate` was given a cap of { $cap } yuan: a cap cannot be below zero
eval-negative-cap-help = a cap is the most a claim may take; bound the fact it comes from (`due: money >= 0 yuan`), or write `max(CAP, 0 yuan)` where a negative amount means nothing is due
phrase-combine-rule = a way to combine (`highest`, `lowest`, `sum` or `first`)
phrase-range = a range (`>= 0`, `between 0 and 1`)
phrase-default = a default (`= false`)
check-combine-type = `combine { $rule }` cannot combine the values of `{ $def }`, of type { $ty }
check-combine-type-label = not for this type
check-combine-type-help = `highest` and `lowest` take ordered values (numbers, money, dates, durations), `sum` numbers or money; `first` takes any
explain-combined = { $clauses } apply together: { $rule } is taken, { $value }
combine-highest = the highest (就高)
combine-lowest = the lowest (就低)
combine-sum = their sum
combine-first = the first, in the order written
sql-what-combine = its exceptions combine in a way SQL does not hold here (`combine sum` of ints, or of values held in two columns)
