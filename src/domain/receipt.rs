//! Receipt numbers and the text of the acceptance and refusal receipts, in Kazakh and Russian.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use unicode_width::UnicodeWidthStr;

use super::case::{Case, CaseStatus};
pub use super::receipt_no::ReceiptNo;
use super::regulation::Regulation;
use super::text::shown_safely;
use super::text::{Lang, Text};

/// What a receipt needs from outside the case: the office, the employee, the due date.
#[derive(Debug, Clone)]
pub struct ReceiptContext {
    pub office_name: Text,
    pub office_address: String,
    pub office_phone: String,
    pub time_zone: Tz,
    /// Full name of the employee who accepted or refused the package.
    pub employee_name: String,
    /// The date the result is due (acceptance receipts only).
    pub result_due: Option<DateTime<Utc>>,
    pub duplicate: bool,
    /// The first hex digits of the hash of the journal record that issued this receipt: in
    /// the QR code and printed, so every paper receipt proves its record
    /// (`frontdesk audit receipt`).
    pub seal: Option<String>,
    /// Issued on a training data directory: the receipt says so at its top and bottom.
    pub training: bool,
}

/// The mark of a receipt issued in training, in Kazakh, Russian and English.
pub const TRAINING_MARK: &str = "*** ОҚУ / УЧЕБНЫЙ / TRAINING ***";

/// Receipt paper widths: an A4 page or a 42-column thermal roll.
pub const PAGE_WIDTH: usize = 80;
pub const ROLL_WIDTH: usize = 42;
/// The paper widths a receipt is laid out for.
pub const PAPER_WIDTHS: [usize; 2] = [ROLL_WIDTH, PAGE_WIDTH];

/// Splits `text` into lines no wider than `width` terminal columns, breaking at spaces where
/// possible and inside over-long words otherwise.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate_width = line.width() + usize::from(!line.is_empty()) + word.width();
        if candidate_width <= width {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        for c in word.chars() {
            let char_width = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if line.width() + char_width > width {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

fn centre(text: &str, width: usize) -> String {
    let pad = width.saturating_sub(text.width()) / 2;
    format!("{}{}", " ".repeat(pad), text)
}

fn both(text: &Text) -> String {
    format!("{} / {}", text.get(Lang::Kk), text.get(Lang::Ru))
}

fn date(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz).format("%d.%m.%Y %H:%M").to_string()
}

fn day(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// The QR code of the receipt number and its seal (see [`ReceiptContext::seal`]) as text (two
/// modules per character row).
pub fn qr_text(receipt_no: &ReceiptNo, seal: Option<&str>) -> Vec<String> {
    let payload = match seal {
        Some(seal) => format!("{receipt_no} {seal}"),
        None => receipt_no.to_string(),
    };
    match qrcode::QrCode::new(payload.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::unicode::Dense1x2>()
            .quiet_zone(true)
            .build()
            .lines()
            .map(str::to_string)
            .collect(),
        Err(_) => Vec::new(),
    }
}

/// The receipt of `case` as plain text lines of at most `width` columns (the QR code excepted
/// when it is wider than a roll allows, which a 42-column roll never is).
pub fn render(
    regulation: &Regulation,
    case: &Case,
    context: &ReceiptContext,
    width: usize,
) -> Vec<String> {
    let tz = context.time_zone;
    let mut out: Vec<String> = Vec::new();
    // Stored text is shown safely: older records may hold characters that act on a terminal.
    let para = |out: &mut Vec<String>, text: &str| out.extend(wrap(&shown_safely(text), width));
    let refused = matches!(case.status, CaseStatus::RefusedToAccept { .. });
    if context.training {
        out.push(centre(TRAINING_MARK, width));
    }
    if context.duplicate {
        out.push(centre("*** ТЕЛНҰСҚА / ДУБЛИКАТ / DUPLICATE ***", width));
    }
    if let Some(reason) = &case.receipt.voided {
        para(
            &mut out,
            &format!("*** ЖОЙЫЛДЫ / АННУЛИРОВАНО: {reason} ***"),
        );
    }
    let title = if refused {
        "Құжаттарды қабылдаудан бас тарту туралы қолхат / Расписка об отказе в приеме документов"
    } else {
        "Құжаттарды қабылдау туралы қолхат / Расписка о приеме документов"
    };
    for line in wrap(title, width) {
        out.push(centre(&line, width));
    }
    out.push(String::new());
    para(
        &mut out,
        &format!(
            "№ {}   {}",
            case.receipt_no,
            date(case.window.closed_at, tz)
        ),
    );
    para(&mut out, &both(&context.office_name));
    para(
        &mut out,
        &format!(
            "Мемлекеттік көрсетілетін қызмет / Государственная услуга: {}",
            both(&regulation.file.service.name)
        ),
    );
    let applicant = &case.intake.applicant;
    para(
        &mut out,
        &format!(
            "Көрсетілетін қызметті алушы / Услугополучатель: {}, ЖСН/ИИН {}",
            applicant.name, applicant.iin
        ),
    );
    if let Some(rep) = &case.intake.representative {
        para(
            &mut out,
            &format!(
                "Өкіл / Представитель: {}; сенімхат / доверенность: {}",
                rep.name, rep.power_of_attorney
            ),
        );
    }
    let measures: Vec<String> = case
        .intake
        .measures
        .iter()
        .map(|m| regulation.measure(m).map_or(m.clone(), |m| both(&m.name)))
        .collect();
    para(&mut out, &format!("Шара / Мера: {}", measures.join("; ")));
    let document_name = |id: &String| {
        regulation
            .document(id)
            .map_or(id.clone(), |d| both(&d.name))
    };
    let (heading, documents) = match &case.status {
        CaseStatus::RefusedToAccept { missing } => (
            "Жетіспейтін құжаттар / Недостающие документы",
            missing.clone(),
        ),
        _ => (
            "Қабылданған құжаттар / Принятые документы",
            case.intake.documents.clone(),
        ),
    };
    out.push(String::new());
    para(&mut out, &format!("{heading} ({}):", documents.len()));
    for (i, doc) in documents.iter().enumerate() {
        let text = format!("{}. {}", i + 1, document_name(doc));
        // Continuation lines are indented by four: wrapped to fit with it.
        for (j, line) in wrap(&text, width.saturating_sub(4)).into_iter().enumerate() {
            out.push(if j == 0 {
                format!(" {line}")
            } else {
                format!("    {line}")
            });
        }
    }
    out.push(String::new());
    if refused {
        para(
            &mut out,
            "Стандарттың 10-тармағына сәйкес құжаттар топтамасы толық болмағандықтан қабылданбады. / В соответствии с п. 10 Стандарта документы не приняты ввиду неполноты пакета.",
        );
        para(&mut out, "2 данада жасалды / Составлена в 2 экземплярах.");
    } else if let Some(due) = context.result_due {
        para(
            &mut out,
            &format!(
                "Нәтиже дайын болатын күн / Дата готовности результата: {}",
                day(due.with_timezone(&tz).date_naive())
            ),
        );
        para(
            &mut out,
            &format!("Берілетін орны / Место выдачи: {}", context.office_address),
        );
    }
    // Signed by the one who decided: who accepted, or who refused to accept.
    let signed = if refused {
        "Бас тартқан / Отказал(а)"
    } else {
        "Қабылдаған / Принял(а)"
    };
    para(&mut out, &format!("{signed}: {}", context.employee_name));
    if !context.office_phone.is_empty() {
        para(&mut out, &format!("Телефон: {}", context.office_phone));
    }
    if refused {
        out.push(String::new());
        para(
            &mut out,
            "Алдым / Получил(а): ____________  Күні / Дата: __________",
        );
    }
    if let Some(seal) = &context.seal {
        para(&mut out, &format!("Тексеру коды / Код проверки: {seal}"));
    }
    out.push(String::new());
    for line in qr_text(&case.receipt_no, context.seal.as_deref()) {
        out.push(centre(&line, width));
    }
    if context.training {
        out.push(centre(TRAINING_MARK, width));
    }
    // Whatever reached a line without `para` is made safe too.
    out.into_iter()
        .map(|line| shown_safely(&line).into_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn receipt_numbers_round_trip() {
        let no = ReceiptNo {
            office: "ALM-01".into(),
            year: 2026,
            seq: 42,
        };
        assert_eq!(no.to_string(), "ALM-01-2026-000042");
        assert_eq!("ALM-01-2026-000042".parse::<ReceiptNo>(), Ok(no));
        assert!("2026-000042".parse::<ReceiptNo>().is_err());
        assert!("garbage".parse::<ReceiptNo>().is_err());
    }

    #[test]
    fn wrap_measures_columns_not_bytes() {
        let lines = wrap("Көрсетілетін қызметті алушы Әсел Нұрланқызы", 20);
        for line in &lines {
            assert!(line.width() <= 20, "{line}");
        }
        assert_eq!(
            lines.join(" "),
            "Көрсетілетін қызметті алушы Әсел Нұрланқызы"
        );
        let long = wrap(&"ә".repeat(50), 42);
        assert_eq!(long.len(), 2);
    }

    #[test]
    fn qr_fits_a_roll() {
        let no = "ALM01-2026-000001".parse().unwrap();
        for seal in [None, Some("0123456789abcdef")] {
            let lines = qr_text(&no, seal);
            assert!(!lines.is_empty());
            assert!(lines.iter().all(|l| l.width() <= ROLL_WIDTH));
        }
    }
}
