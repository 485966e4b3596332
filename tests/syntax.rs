//! The shape of parsed expressions: precedence and associativity of
//! LANGUAGE.md §5, and the literal forms of §3.

use pol::source::FileId;
use pol::syntax::ast::*;
use pol::syntax::parse_module;

/// Parses `output x = EXPR` and prints the expression as an s-expression.
fn shape(expr: &str) -> String {
    let text = format!("clause c {{\n  output x = {expr}\n}}\n");
    let (module, errors) = parse_module(FileId(0), &text);
    assert!(errors.is_empty(), "{expr}: {errors:?}");
    let Decl::Clause(c) = &module.decls[0] else {
        panic!("not a clause")
    };
    let ClauseItem::Def(d) = &c.items[0] else {
        panic!("not a definition")
    };
    sexp(&d.expr)
}

fn errors(expr: &str) -> Vec<&'static str> {
    let text = format!("clause c {{\n  output x = {expr}\n}}\n");
    parse_module(FileId(0), &text)
        .1
        .iter()
        .map(|d| d.code)
        .collect()
}

fn sexp(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Lit(Literal::Int(n)) => n.to_string(),
        ExprKind::Lit(Literal::Decimal(d)) => d.to_string(),
        ExprKind::Lit(Literal::Money(m)) => format!("{m}¥"),
        ExprKind::Lit(Literal::Date(d)) => d.to_string(),
        ExprKind::Lit(Literal::Duration(d)) => format!("[{d}]"),
        ExprKind::Lit(Literal::Period(p)) => format!("<{p}>"),
        ExprKind::Lit(Literal::Bool(b)) => b.to_string(),
        ExprKind::Lit(Literal::Text(t)) => format!("{t:?}"),
        ExprKind::Today => "today".into(),
        ExprKind::Name(n) => n.name.clone(),
        ExprKind::Field(b, f) => format!("{}.{}", sexp(b), f.name),
        ExprKind::At(b, d) => format!("(at {} {})", sexp(b), sexp(d)),
        ExprKind::Call(f, args) => {
            format!(
                "({} {})",
                f.name,
                args.iter().map(sexp).collect::<Vec<_>>().join(" ")
            )
        }
        ExprKind::Comprehension {
            func,
            body,
            var,
            list,
            filter,
            ..
        } => format!(
            "({} {} {} {} {})",
            func.name(),
            body.as_ref().map_or("-".into(), |b| sexp(b)),
            var.name,
            sexp(list),
            filter.as_ref().map_or("-".into(), |f| sexp(f))
        ),
        ExprKind::Unary(UnOp::Not, x) => format!("(not {})", sexp(x)),
        ExprKind::Unary(UnOp::Neg, x) => format!("(neg {})", sexp(x)),
        ExprKind::Binary(op, a, b) => format!("({} {} {})", op.symbol(), sexp(a), sexp(b)),
        ExprKind::Between(x, a, b) => format!("(between {} {} {})", sexp(x), sexp(a), sexp(b)),
        ExprKind::If(c, a, b) => format!("(if {} {} {})", sexp(c), sexp(a), sexp(b)),
        ExprKind::Set(xs) => format!("{{{}}}", xs.iter().map(sexp).collect::<Vec<_>>().join(" ")),
        ExprKind::List(xs) => format!("[{}]", xs.iter().map(sexp).collect::<Vec<_>>().join(" ")),
        ExprKind::Record(fs) => format!(
            "{{{}}}",
            fs.iter()
                .map(|(n, v)| format!("{}: {}", n.name, sexp(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[test]
fn binary_operators_are_left_associative() {
    assert_eq!(shape("2 / 3 * 300 yuan"), "(* (/ 2 3) 300.00¥)");
    assert_eq!(shape("a - b - c"), "(- (- a b) c)");
    assert_eq!(shape("a or b or c"), "(or (or a b) c)");
}

#[test]
fn precedence_from_loosest_to_tightest() {
    assert_eq!(shape("a or b and c"), "(or a (and b c))");
    assert_eq!(shape("not a and b"), "(and (not a) b)");
    assert_eq!(shape("not a = b"), "(not (= a b))");
    assert_eq!(shape("a + b >= c * d"), "(>= (+ a b) (* c d))");
    assert_eq!(shape("a + b * c"), "(+ a (* b c))");
    assert_eq!(shape("15% of wage + 1 yuan"), "(+ (of 0.15 wage) 1.00¥)");
    assert_eq!(shape("-a * b"), "(* (neg a) b)");
    assert_eq!(shape("-h.wage"), "(neg h.wage)");
    assert_eq!(
        shape("p at h.hired_on + 1 month"),
        "(+ (at p h.hired_on) [1 month])"
    );
    assert_eq!(shape("if c then a else b + 1"), "(if c a (+ b 1))");
    assert_eq!(shape("x in {a, b} and y"), "(and (in x {a b}) y)");
    assert_eq!(
        shape("a + 1 between b and c + 2"),
        "(between (+ a 1) b (+ c 2))"
    );
    assert_eq!(
        shape("x between 16 and 24 and y"),
        "(and (between x 16 24) y)"
    );
    assert_eq!(shape("(a + b) * c"), "(* (+ a b) c)");
}

#[test]
fn periods_and_event_dates() {
    assert_eq!(shape("2020-01-01..2020-12-31"), "<2020-01-01..2020-12-31>");
    assert_eq!(
        shape("h.hired_on in 2020-01-01..2020-12-31 and x"),
        "(and (in h.hired_on <2020-01-01..2020-12-31>) x)"
    );
    assert_eq!(shape("span(a, 3 years).end"), "(span a [36 months]).end");
    assert_eq!(
        errors("2020-12-31..2020-01-01"),
        ["pol::syntax::period_order"]
    );
    // `on` and the period functions are names, not reserved words.
    assert_eq!(shape("on + period"), "(+ on period)");
    let text = "clause c for h: Hire in force 2020-01-01 to 2020-12-31 on h.hired_on {\n  output x = 1\n}\nclause d {\n  in force from 2021-01-20\n  output y = 1\n}\n";
    let (module, errors) = parse_module(FileId(0), text);
    assert!(errors.is_empty(), "{errors:?}");
    let forces: Vec<String> = module
        .decls
        .iter()
        .filter_map(|d| match d {
            Decl::Clause(c) => c.in_force.as_ref(),
            _ => None,
        })
        .map(|f| {
            format!(
                "{} {:?} {}",
                f.from,
                f.to.map(|t| t.to_string()),
                f.on.as_ref().map_or("today".into(), sexp)
            )
        })
        .collect();
    assert_eq!(
        forces,
        [
            "2020-01-01 Some(\"2020-12-31\") h.hired_on",
            "2021-01-20 None today"
        ]
    );
}

#[test]
fn postfix_and_calls() {
    assert_eq!(shape("c(h).amount"), "(c h).amount");
    assert_eq!(shape("hiring_subsidy.eligible"), "hiring_subsidy.eligible");
    assert_eq!(shape("min(a, b, c)"), "(min a b c)");
    assert_eq!(
        shape("sum(s(h).amount for h in e.hires if h.graduate)"),
        "(sum (s h).amount h e.hires h.graduate)"
    );
    assert_eq!(
        shape("count(h in e.hires if h.graduate)"),
        "(count - h e.hires h.graduate)"
    );
    assert_eq!(
        shape("any(h.graduate for h in e.hires)"),
        "(any h.graduate h e.hires -)"
    );
    assert_eq!(
        shape("allocate(7800 yuan, [a, b])"),
        "(allocate 7800.00¥ [a b])"
    );
    assert_eq!(shape("{size: small, n: 1}"), "{size: small, n: 1}");
}

#[test]
fn literals() {
    assert_eq!(shape("1_000"), "1000");
    assert_eq!(shape("15%"), "0.15");
    assert_eq!(shape("2.5%"), "0.025");
    assert_eq!(shape("1000元"), "1000.00¥");
    assert_eq!(shape("20万元"), "200000.00¥");
    assert_eq!(shape("1.5万元"), "15000.00¥");
    assert_eq!(shape("5千元"), "5000.00¥");
    assert_eq!(shape("2.5千元"), "2500.00¥");
    assert_eq!(shape("3百元"), "300.00¥");
    assert_eq!(shape("812.40 yuan"), "812.40¥");
    assert_eq!(shape("6个月"), "[6 months]");
    assert_eq!(shape("1年"), "[12 months]");
    assert_eq!(shape("2 years"), "[24 months]");
    assert_eq!(shape("30天"), "[30 days]");
    assert_eq!(shape("2周"), "[14 days]");
    assert_eq!(shape("2 weeks"), "[14 days]");
    assert_eq!(shape("1 day"), "[1 day]");
    assert_eq!(shape("2020-02-29"), "2020-02-29");
    assert_eq!(shape(r#""a \"b\" \\ c\n""#), r#""a \"b\" \\ c\n""#);
    assert_eq!(shape("today"), "today");
    assert_eq!(shape("true"), "true");
}

#[test]
fn keywords_do_not_swallow_names() {
    // `in`, `for`, `to`, `or`, `not`, `if` at the start of longer names.
    assert_eq!(
        shape("income + format + total + order + note + iffy"),
        "(+ (+ (+ (+ (+ income format) total) order) note) iffy)"
    );
    assert_eq!(shape("input_value"), "input_value");
    assert_eq!(shape("补贴标准 * 人数"), "(* 补贴标准 人数)");
}

#[test]
fn malformed_literals_and_operators_are_errors() {
    assert_eq!(errors("2020-02-30"), ["pol::syntax::date"]);
    assert_eq!(errors("2021-02-29"), ["pol::syntax::date"]);
    assert_eq!(errors("2020-13-01"), ["pol::syntax::date"]);
    assert_eq!(errors("1.234 yuan"), ["pol::syntax::money"]);
    assert_eq!(errors("1.23456万元"), Vec::<&str>::new());
    assert_eq!(errors("a == b"), ["pol::syntax::operator"]);
    assert_eq!(errors("a < b < c"), ["pol::syntax::chained_comparison"]);
    assert_eq!(
        errors("a = b between 1 and 2"),
        ["pol::syntax::chained_comparison"]
    );
    assert_eq!(errors("9223372036854775808"), ["pol::syntax::number"]);
    assert!(errors("9223372036854775807").is_empty());
}

#[test]
fn spans_name_the_exact_text() {
    let text = "clause c {\n  output x = a + b   # sum\n}\n";
    let (module, _) = parse_module(FileId(0), text);
    let Decl::Clause(c) = &module.decls[0] else {
        panic!()
    };
    let ClauseItem::Def(d) = &c.items[0] else {
        panic!()
    };
    assert_eq!(&text[d.expr.span.range()], "a + b");
}

#[test]
fn files_parsed_together_on_every_core_are_parsed_as_one_by_one() {
    let mut texts: Vec<String> = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from("policies/xuchang-2021")];
    while let Some(dir) = dirs.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&dir)
            .expect("a directory")
            .map(|e| e.expect("an entry").path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                dirs.push(p);
            } else if p.extension().is_some_and(|e| e == "pol") {
                texts.push(std::fs::read_to_string(&p).expect("a file"));
            }
        }
    }
    // And files with syntax errors among them.
    texts
        .push("clause broken {\n  output x = (1 +\n}\n\nclause fine {\n  output y = 2\n}\n".into());
    texts.push("input a: int\ninput b: \n".into());
    let files: Vec<(FileId, &str)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (FileId(i as u32), t.as_str()))
        .collect();
    let together = pol::syntax::parse_modules(&files, 64 << 20);
    assert_eq!(together.len(), files.len());
    for ((id, text), (module, errors)) in files.iter().zip(together) {
        let (alone, alone_errors) = parse_module(*id, text);
        assert_eq!(module, alone);
        let show = |d: &[pol::diagnostic::Diagnostic]| -> Vec<String> {
            d.iter()
                .map(|d| format!("{} {:?} {}", d.code, d.span, d.message))
                .collect()
        };
        assert_eq!(show(&errors), show(&alone_errors));
    }
}
