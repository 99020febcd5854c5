//! Arithmetic between columns for [`DataTable::derive`](super::DataTable::derive):
//! `aantal / deelnemers * 100`, with `+ - * /`, parentheses, unary minus, numbers with
//! either decimal mark, and column names that are not plain words in backticks
//! (`` `mbo-1` + `mbo-2` ``). A missing operand or a division by zero gives a missing
//! result, so one gap in the data never becomes a wrong number.

use super::Cell;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Expr {
    Num(f64),
    /// Index of a column in the table the expression was resolved against.
    Col(usize),
    Neg(Box<Expr>),
    Bin(char, Box<Expr>, Box<Expr>),
}

impl Expr {
    /// The same formula reading its columns from a list of their own (`Col(i)` becomes
    /// the i-th distinct column it reads), and the names of those columns.
    pub fn by_position(&self, name_of: impl Fn(usize) -> String) -> (Expr, Vec<String>) {
        fn walk(e: &Expr, seen: &mut Vec<usize>) -> Expr {
            match e {
                Expr::Num(v) => Expr::Num(*v),
                Expr::Col(j) => {
                    let i = seen.iter().position(|s| s == j).unwrap_or_else(|| {
                        seen.push(*j);
                        seen.len() - 1
                    });
                    Expr::Col(i)
                }
                Expr::Neg(a) => Expr::Neg(Box::new(walk(a, seen))),
                Expr::Bin(op, a, b) => {
                    Expr::Bin(*op, Box::new(walk(a, seen)), Box::new(walk(b, seen)))
                }
            }
        }
        let mut seen = Vec::new();
        let e = walk(self, &mut seen);
        (e, seen.into_iter().map(name_of).collect())
    }

    pub fn eval(&self, cells: &[Cell]) -> Option<f64> {
        let v = match self {
            Expr::Num(v) => *v,
            Expr::Col(j) => cells.get(*j)?.as_f64()?,
            Expr::Neg(e) => -e.eval(cells)?,
            Expr::Bin(op, a, b) => {
                let (a, b) = (a.eval(cells)?, b.eval(cells)?);
                match op {
                    '+' => a + b,
                    '-' => a - b,
                    '*' => a * b,
                    _ if b == 0.0 => return None,
                    _ => a / b,
                }
            }
        };
        v.is_finite().then_some(v)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Name(String),
    Sym(char),
}

/// Tokens with their 1-based character position, for error messages.
fn tokenize(src: &str) -> Result<Vec<(Tok, usize)>, String> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let start = i;
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit()
            || (matches!(c, '.' | ',') && chars.get(i + 1).is_some_and(char::is_ascii_digit))
        {
            let mut text = String::new();
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || (matches!(chars[i], '.' | ',') && !text.contains('.')))
            {
                text.push(if chars[i] == ',' { '.' } else { chars[i] });
                i += 1;
            }
            let v = text
                .parse()
                .map_err(|_| format!("`{text}` at character {} is not a number", start + 1))?;
            out.push((Tok::Num(v), start + 1));
        } else if c == '`' {
            let end = chars[i + 1..]
                .iter()
                .position(|&c| c == '`')
                .ok_or_else(|| format!("the `` ` `` at character {} is never closed", start + 1))?;
            out.push((
                Tok::Name(chars[i + 1..i + 1 + end].iter().collect()),
                start + 1,
            ));
            i += end + 2;
        } else if c.is_alphabetic() || c == '_' {
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((Tok::Name(chars[start..i].iter().collect()), start + 1));
        } else if "+-*/()".contains(c) {
            out.push((Tok::Sym(c), start + 1));
            i += 1;
        } else {
            return Err(format!(
                "unexpected `{c}` at character {}; use + - * / and parentheses",
                start + 1
            ));
        }
    }
    Ok(out)
}

/// Limits that keep a mistyped or hostile expression from exhausting the stack: real
/// `derive` expressions have a handful of parts and two or three levels of parentheses.
const MAX_TOKENS: usize = 1000;
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    toks: Vec<(Tok, usize)>,
    at: usize,
    end: usize,
    /// Parentheses and signs open around the current position.
    depth: usize,
    resolve: &'a mut dyn FnMut(&str) -> Result<usize, String>,
}

impl Parser<'_> {
    fn peek_sym(&self, options: &str) -> Option<char> {
        match self.toks.get(self.at) {
            Some((Tok::Sym(c), _)) if options.contains(*c) => Some(*c),
            _ => None,
        }
    }

    fn sum(&mut self) -> Result<Expr, String> {
        let mut lhs = self.product()?;
        while let Some(op) = self.peek_sym("+-") {
            self.at += 1;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(self.product()?));
        }
        Ok(lhs)
    }

    fn product(&mut self) -> Result<Expr, String> {
        let mut lhs = self.unary()?;
        while let Some(op) = self.peek_sym("*/") {
            self.at += 1;
            lhs = Expr::Bin(op, Box::new(lhs), Box::new(self.unary()?));
        }
        Ok(lhs)
    }

    fn nest(&mut self) -> Result<(), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            let pos = self.toks.get(self.at).map_or(self.end, |t| t.1);
            return Err(format!(
                "the expression nests more than {MAX_DEPTH} parentheses or signs deep \
                 (at character {pos}); write it in simpler steps, one `derive` column each"
            ));
        }
        Ok(())
    }

    fn unary(&mut self) -> Result<Expr, String> {
        match self.peek_sym("+-") {
            Some(op) => {
                self.at += 1;
                self.nest()?;
                let e = self.unary()?;
                self.depth -= 1;
                Ok(if op == '-' { Expr::Neg(Box::new(e)) } else { e })
            }
            None => self.atom(),
        }
    }

    fn atom(&mut self) -> Result<Expr, String> {
        let Some((tok, pos)) = self.toks.get(self.at).cloned() else {
            return Err(format!(
                "the expression ends where a number or column was expected (character {})",
                self.end
            ));
        };
        self.at += 1;
        match tok {
            Tok::Num(v) => Ok(Expr::Num(v)),
            Tok::Name(name) => Ok(Expr::Col((self.resolve)(&name)?)),
            Tok::Sym('(') => {
                self.nest()?;
                let e = self.sum()?;
                self.depth -= 1;
                match self.toks.get(self.at) {
                    Some((Tok::Sym(')'), _)) => {
                        self.at += 1;
                        Ok(e)
                    }
                    _ => Err(format!("the `(` at character {pos} has no matching `)`")),
                }
            }
            Tok::Sym(c) => Err(format!("unexpected `{c}` at character {pos}")),
        }
    }
}

/// Parses `src`; `resolve` maps each column name to its index or explains why it cannot.
pub(super) fn parse(
    src: &str,
    resolve: &mut dyn FnMut(&str) -> Result<usize, String>,
) -> Result<Expr, String> {
    let toks = tokenize(src)?;
    if toks.is_empty() {
        return Err("the expression is empty".into());
    }
    if toks.len() > MAX_TOKENS {
        return Err(format!(
            "the expression has {} parts, more than the {MAX_TOKENS} bundel reads; write it in \
             simpler steps, one `derive` column each",
            toks.len()
        ));
    }
    let end = src.chars().count() + 1;
    let mut p = Parser {
        toks,
        at: 0,
        end,
        depth: 0,
        resolve,
    };
    let e = p.sum()?;
    match p.toks.get(p.at) {
        None => Ok(e),
        Some((Tok::Sym(')'), pos)) => {
            Err(format!("the `)` at character {pos} has no matching `(`"))
        }
        Some((_, pos)) => Err(format!(
            "an operator (+ - * /) is missing before character {pos}"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(src: &str, cells: &[Cell]) -> Result<Option<f64>, String> {
        let names = ["aantal", "deelnemers", "mbo-1"];
        let mut resolve = |n: &str| {
            names
                .iter()
                .position(|x| *x == n)
                .ok_or_else(|| format!("no column `{n}`"))
        };
        parse(src, &mut resolve).map(|e| e.eval(cells))
    }

    #[test]
    fn hostile_nesting_and_length_are_errors_not_stack_overflows() {
        let cells = [Cell::Number(6.0), Cell::Number(200.0), Cell::Number(4.0)];
        // The inputs: each an error, none a stack overflow.
        let parens = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
        let minus = format!("{}1", "-".repeat(12000));
        let flat = vec!["1"; 50000].join(" + ");
        for src in [&parens, &minus, &flat] {
            let err = eval(src, &cells).unwrap_err();
            assert!(err.contains("more than"), "{err}");
        }
        // Deep but short.
        let deep = format!("{}1{}", "(".repeat(100), ")".repeat(100));
        assert!(eval(&deep, &cells)
            .unwrap_err()
            .contains("nests more than 64"));
        let signs = format!("{}1", "-".repeat(100));
        assert!(eval(&signs, &cells)
            .unwrap_err()
            .contains("nests more than 64"));
        // Ordinary depth and length still work.
        let ok = format!("{}aantal{}", "(".repeat(20), ")".repeat(20));
        assert_eq!(eval(&ok, &cells), Ok(Some(6.0)));
        assert_eq!(eval(&vec!["1"; 400].join(" + "), &cells), Ok(Some(400.0)));
    }

    #[test]
    fn precedence_parentheses_and_unary_minus() {
        let cells = [Cell::Number(6.0), Cell::Number(200.0), Cell::Number(4.0)];
        assert_eq!(eval("aantal / deelnemers * 100", &cells), Ok(Some(3.0)));
        assert_eq!(eval("1 + 2 * 3", &cells), Ok(Some(7.0)));
        assert_eq!(eval("(1 + 2) * 3", &cells), Ok(Some(9.0)));
        assert_eq!(eval("-aantal + 10", &cells), Ok(Some(4.0)));
        assert_eq!(eval("2 - -3", &cells), Ok(Some(5.0)));
        assert_eq!(eval("`mbo-1` * 0,5", &cells), Ok(Some(2.0)));
        assert_eq!(
            eval("10 - 4 - 3", &cells),
            Ok(Some(3.0)),
            "left associative"
        );
        assert_eq!(eval(".5 * aantal", &cells), Ok(Some(3.0)));
    }

    #[test]
    fn missing_and_division_by_zero_give_missing() {
        let cells = [
            Cell::Missing,
            Cell::Number(0.0),
            Cell::Text("Totaal".into()),
        ];
        assert_eq!(eval("aantal + 1", &cells), Ok(None));
        assert_eq!(eval("1 / deelnemers", &cells), Ok(None));
        assert_eq!(eval("`mbo-1` * 2", &cells), Ok(None));
        assert_eq!(eval("0 / 5", &cells), Ok(Some(0.0)));
    }

    #[test]
    fn errors_say_where() {
        let cells = [];
        assert_eq!(
            eval("aantal +", &cells).unwrap_err(),
            "the expression ends where a number or column was expected (character 9)"
        );
        assert_eq!(
            eval("(aantal + 1", &cells).unwrap_err(),
            "the `(` at character 1 has no matching `)`"
        );
        assert_eq!(
            eval("aantal + 1)", &cells).unwrap_err(),
            "the `)` at character 11 has no matching `(`"
        );
        assert_eq!(
            eval("aantal deelnemers", &cells).unwrap_err(),
            "an operator (+ - * /) is missing before character 8"
        );
        assert_eq!(
            eval("aantal % 2", &cells).unwrap_err(),
            "unexpected `%` at character 8; use + - * / and parentheses"
        );
        assert_eq!(eval("aantl * 2", &cells).unwrap_err(), "no column `aantl`");
        assert_eq!(
            eval("`mbo-1 * 2", &cells).unwrap_err(),
            "the `` ` `` at character 1 is never closed"
        );
        assert_eq!(eval("  ", &cells).unwrap_err(), "the expression is empty");
        assert_eq!(
            eval("* 2", &cells).unwrap_err(),
            "unexpected `*` at character 1"
        );
    }
}
