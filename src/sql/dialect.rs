//! What differs between the SQL engines a package compiles to.

/// An SQL engine's dialect.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    DuckDb,
    Postgres,
    Spark,
}

impl Dialect {
    pub const ALL: [Dialect; 3] = [Dialect::DuckDb, Dialect::Postgres, Dialect::Spark];

    pub fn name(self) -> &'static str {
        match self {
            Dialect::DuckDb => "duckdb",
            Dialect::Postgres => "postgres",
            Dialect::Spark => "spark",
        }
    }

    pub fn parse(s: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == s)
    }

    /// A quoted identifier: fact paths hold dots (`employer.size`).
    pub fn quote(self, name: &str) -> String {
        match self {
            Dialect::Spark => format!("`{}`", name.replace('`', "``")),
            _ => format!("\"{}\"", name.replace('"', "\"\"")),
        }
    }

    /// The table of the list at `path` (`employer.hires`): its path, quoted;
    /// in Spark, whose table names hold no dots, `employer__hires`.
    pub fn list_table(self, path: &str) -> String {
        match self {
            Dialect::Spark => self.quote(&path.replace('.', "__")),
            _ => self.quote(path),
        }
    }

    pub fn text_type(self) -> &'static str {
        match self {
            Dialect::Spark => "STRING",
            _ => "TEXT",
        }
    }

    /// The exact decimal type of money and of decimals, with `scale` places.
    pub fn decimal(self, scale: u32) -> String {
        match self {
            Dialect::Postgres => format!("NUMERIC(38,{scale})"),
            _ => format!("DECIMAL(38,{scale})"),
        }
    }

    /// An int made a decimal, exactly.
    pub fn widen(self, x: &str) -> String {
        match self {
            // Postgres's NUMERIC without a scale keeps every digit.
            Dialect::Postgres => format!("CAST({x} AS NUMERIC)"),
            _ => format!("CAST({x} AS DECIMAL(38,0))"),
        }
    }

    /// `date` moved by `n` (an int) months, clamped to the month's end.
    pub fn add_months(self, date: &str, n: &str) -> String {
        match self {
            Dialect::DuckDb => format!("CAST({date} + to_months({n}) AS DATE)"),
            Dialect::Postgres => {
                format!("CAST({date} + make_interval(months => CAST({n} AS INTEGER)) AS DATE)")
            }
            Dialect::Spark => format!("add_months({date}, CAST({n} AS INT))"),
        }
    }

    /// `date` moved by `n` (an int) days.
    pub fn add_days(self, date: &str, n: &str) -> String {
        match self {
            Dialect::DuckDb => format!("CAST({date} + to_days(CAST({n} AS INTEGER)) AS DATE)"),
            Dialect::Postgres => format!("({date} + CAST({n} AS INTEGER))"),
            Dialect::Spark => format!("date_add({date}, CAST({n} AS INT))"),
        }
    }

    /// The days from date `a` to date `b`, as a BIGINT.
    pub fn days_from(self, a: &str, b: &str) -> String {
        match self {
            Dialect::DuckDb => format!("date_diff('day', {a}, {b})"),
            Dialect::Postgres => format!("CAST({b} - {a} AS BIGINT)"),
            Dialect::Spark => format!("CAST(datediff({b}, {a}) AS BIGINT)"),
        }
    }

    /// The last day of the month of a date.
    pub fn last_day(self, d: &str) -> String {
        match self {
            Dialect::Postgres => format!(
                "CAST(date_trunc('month', {d}) + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)"
            ),
            _ => format!("last_day({d})"),
        }
    }

    /// The whole quotient of two BIGINTs that are not negative.
    pub fn int_div(self, a: &str, b: &str) -> String {
        match self {
            Dialect::DuckDb => format!("(({a}) // ({b}))"),
            Dialect::Postgres => format!("(({a}) / ({b}))"),
            Dialect::Spark => format!("(({a}) div ({b}))"),
        }
    }

    /// The `value` of the row that comes first by `order`, among those of
    /// `from_where` (`FROM … WHERE …`); NULL when there is none.
    pub fn first_by(self, value: &str, order: &str, from_where: &str) -> String {
        match self {
            Dialect::Spark => format!("(SELECT min_by({value}, {order}) {from_where})"),
            _ => format!("(SELECT {value} {from_where} ORDER BY {order} LIMIT 1)"),
        }
    }

    /// The first group of `pattern` in `text` (NULL when `text` is).
    pub fn regexp_extract(self, text: &str, pattern: &str) -> String {
        let p = pattern.replace('\'', "''");
        match self {
            Dialect::Postgres => format!("substring({text} from '{p}')"),
            _ => format!("regexp_extract({text}, '{p}', 1)"),
        }
    }

    /// `text` with the first match of `pattern` replaced.
    pub fn regexp_replace(self, text: &str, pattern: &str, with: &str) -> String {
        let p = pattern.replace('\'', "''");
        format!("regexp_replace({text}, '{p}', '{with}')")
    }

    /// Whether all of `text` matches `pattern`.
    pub fn regexp_matches(self, text: &str, pattern: &str) -> String {
        let p = pattern.replace('\'', "''");
        match self {
            Dialect::Postgres => format!("{text} ~ '{p}'"),
            Dialect::DuckDb => format!("regexp_full_match({text}, '{p}')"),
            Dialect::Spark => format!("{text} RLIKE '{p}'"),
        }
    }

    /// `make_date(year, month, day)` of BIGINT parts.
    pub fn make_date(self, y: &str, m: &str, d: &str) -> String {
        format!("make_date(CAST({y} AS INTEGER), CAST({m} AS INTEGER), CAST({d} AS INTEGER))")
    }

    /// A date written as text, `YYYY-MM-DD`.
    pub fn date_text(self, d: &str) -> String {
        format!("CAST({d} AS {})", self.text_type())
    }
}
