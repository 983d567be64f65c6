//! Interface text in Kazakh, Russian and English. Official terms follow DOMAIN.md's glossary.

use std::collections::HashMap;
use std::sync::OnceLock;

use super::core::Context;
use crate::domain::lifecycle::{LifecycleError, MAX_REASON_CHARS};
use crate::domain::Lang;
use crate::service::queue::{QueueError, MAX_TICKETS_A_DAY, MAX_WAITING};
use crate::service::{Failure, FailureKind, Forbidden, LinkFailure, OpenRepair, StoreFailure};

/// (key, [kk, ru, en])
const TABLE: &[(&str, [&str; 3])] = &[
    ("app", ["Қабылдау үстелі", "Окно приема", "Front desk"]),
    ("screen.queue", ["Кезек", "Очередь", "Walk-in queue"]),
    (
        "screen.intake",
        ["Құжаттарды қабылдау", "Прием документов", "Intake"],
    ),
    ("screen.cases", ["Істер", "Дела", "Cases"]),
    ("screen.receipt", ["Қолхат", "Расписка", "Receipt"]),
    ("screen.help", ["Анықтама", "Справка", "Help"]),
    (
        "pane.countdown",
        ["Менің мерзімдерім", "Мои сроки", "My deadlines"],
    ),
    (
        "pane.empty",
        [
            "Мерзімі бар жұмыс жоқ",
            "Нет работы со сроком",
            "No work with a deadline",
        ],
    ),
    (
        "too_small",
        [
            "Терезе тым кішкентай",
            "Окно слишком мало",
            "Terminal too small",
        ],
    ),
    (
        "compact.note",
        [
            "Бұл экран үшін терезені үлкейтіңіз:",
            "Для этого экрана увеличьте окно до",
            "For this screen, enlarge to",
        ],
    ),
    (
        "too_small.hint",
        ["кемінде", "нужно не менее", "needs at least"],
    ),
    ("queue.ticket", ["Талон", "Талон", "Ticket"]),
    ("queue.measure", ["Шара", "Мера", "Measure"]),
    ("queue.waiting", ["Күтуде", "Ожидает", "Waiting"]),
    ("queue.called", ["Шақырылды", "Вызван", "Called"]),
    (
        "queue.empty",
        [
            "Ешкім күтіп тұрған жоқ",
            "Никто не ждет",
            "No one is waiting",
        ],
    ),
    ("queue.summary", ["күтуде", "ожидают", "waiting"]),
    (
        "queue.oldest",
        ["ең ұзақ күту", "дольше всех ждет", "longest wait"],
    ),
    ("queue.limit", ["шегі", "лимит", "limit"]),
    (
        "field.ticket",
        [
            "Талон нөмірі (бос болса — автоматты)",
            "Номер талона (пусто — автоматически)",
            "Ticket number (empty: next one)",
        ],
    ),
    ("field.iin", ["ЖСН", "ИИН", "IIN"]),
    ("field.name", ["Аты-жөні", "ФИО", "Full name"]),
    ("field.phone", ["Телефон", "Телефон", "Phone"]),
    ("field.sector", ["Сала", "Сфера", "Sector"]),
    (
        "field.settlement",
        ["Елді мекен", "Населенный пункт", "Settlement"],
    ),
    (
        "field.measures",
        ["Қолдау шарасы", "Мера поддержки", "Support measure"],
    ),
    (
        "field.representative",
        [
            "Өкіл (болса)",
            "Представитель (если есть)",
            "Representative (if any)",
        ],
    ),
    (
        "field.representative_iin",
        ["Өкілдің ЖСН", "ИИН представителя", "Representative's IIN"],
    ),
    (
        "field.poa",
        [
            "Сенімхат (нөмірі, күні)",
            "Доверенность (номер, дата)",
            "Power of attorney (no., date)",
        ],
    ),
    (
        "field.documents",
        ["Құжаттар топтамасы", "Пакет документов", "Document package"],
    ),
    ("iin.ok", ["ЖСН дұрыс", "ИИН верен", "IIN valid"]),
    (
        "iin.empty",
        [
            "ЖСН бос: 12 цифрды теріңіз",
            "ИИН пуст: введите 12 цифр",
            "IIN is empty: type the 12 digits",
        ],
    ),
    (
        "iin.length",
        [
            "ЖСН-да {} цифр, 12 керек",
            "В ИИН {} {digits}, нужно 12",
            "IIN has {} {digits}, it needs 12",
        ],
    ),
    (
        "iin.digit",
        [
            "ЖСН тек цифрдан тұрады: {}",
            "ИИН только из цифр: {}",
            "IIN may contain digits only: {}",
        ],
    ),
    (
        "iin.century",
        [
            "ЖСН 7-цифры {}: 1–6 болуы керек",
            "7-я цифра ИИН {}: должна быть 1–6",
            "IIN digit 7 is {}: it must be 1–6",
        ],
    ),
    (
        "iin.date",
        [
            "ЖСН 1–6 цифрлары ({}) туған күн емес",
            "Цифры 1–6 ИИН ({}) не дата рождения",
            "IIN digits 1–6 ({}) are not a birth date",
        ],
    ),
    (
        "iin.check",
        [
            "ЖСН бақылау цифры {}: қате терілген болуы мүмкін",
            "Контрольная цифра ИИН {}: вероятно опечатка",
            "IIN check digit is {}: look for a typo",
        ],
    ),
    (
        "iin.none",
        [
            "Мұндай ЖСН болмайды",
            "Такого ИИН не бывает",
            "This IIN cannot exist",
        ],
    ),
    (
        "window",
        ["Қабылдау мерзімі", "Срок приема", "Acceptance window"],
    ),
    ("window.left", ["қалды", "осталось", "left"]),
    ("window.overrun", ["асып кетті", "превышено", "overrun"]),
    (
        "window.not_started",
        [
            "Форма ашылғанда басталады",
            "Начнется при открытии формы",
            "Starts when the form opens",
        ],
    ),
    ("submit.accept", ["Қабылдау", "Принять", "Accept"]),
    (
        "submit.refuse",
        [
            "Қабылдаудан бас тарту",
            "Отказать в приеме",
            "Refuse to accept",
        ],
    ),
    ("submit.missing", ["жоқ", "нет", "missing"]),
    (
        "confirm.refuse",
        [
            "Құжаттар толық емес: бас тарту қолхатын беру керек пе?",
            "Документы не все: выдать расписку об отказе?",
            "Documents are missing: issue the refusal receipt?",
        ],
    ),
    ("filter.mine", ["Менің жұмысым", "Моя работа", "My work"]),
    ("filter.overdue", ["Мерзімі өткен", "Просрочено", "Overdue"]),
    ("filter.today", ["Бүгін", "Сегодня", "Due today"]),
    ("filter.all", ["Барлығы", "Все", "All"]),
    (
        "search",
        [
            "Іздеу (ЖСН, аты, қолхат №)",
            "Поиск (ИИН, ФИО, № расписки)",
            "Search (IIN, name, receipt no.)",
        ],
    ),
    ("cases.empty", ["Іс жоқ", "Дел нет", "No cases"]),
    ("col.case", ["Іс", "Дело", "Case"]),
    ("col.step", ["Қадам", "Шаг", "Step"]),
    ("col.deadline", ["Мерзім", "Срок", "Deadline"]),
    ("col.left", ["Қалды", "Осталось", "Left"]),
    ("col.applicant", ["Алушы", "Услугополучатель", "Applicant"]),
    ("col.owner", ["Кімде", "У кого", "Owner"]),
    ("col.due", ["Мерзімі", "Срок", "Due"]),
    ("detail.steps", ["Қадамдар", "Шаги", "Steps"]),
    ("detail.actions", ["Әрекеттер", "Действия", "Actions"]),
    (
        "detail.no_actions",
        [
            "Сізге қолжетімді әрекет жоқ",
            "Нет доступных вам действий",
            "Nothing for your role here",
        ],
    ),
    (
        "detail.explain",
        [
            "Мерзім қалай есептелді",
            "Как посчитан срок",
            "How the deadline was counted",
        ],
    ),
    ("detail.history", ["Тарих", "История", "History"]),
    ("status.completed", ["аяқталды", "завершено", "completed"]),
    (
        "status.refused",
        [
            "қабылдаудан бас тартылды",
            "отказано в приеме",
            "refused to accept",
        ],
    ),
    ("status.voided", ["жойылды", "аннулировано", "voided"]),
    ("receipt.printed", ["басылды", "напечатана", "printed"]),
    (
        "receipt.unprinted",
        ["БАСЫЛМАҒАН", "НЕ НАПЕЧАТАНА", "UNPRINTED"],
    ),
    (
        "receipt.none",
        [
            "Қолхат таңдалмаған: істер тізімінен ашыңыз",
            "Расписка не выбрана: откройте из списка дел",
            "No receipt chosen: open one from the cases list",
        ],
    ),
    ("prompt.reason", ["Себебі", "Причина", "Reason"]),
    (
        "prompt.executor",
        [
            "Жауапты орындаушы",
            "Ответственный исполнитель",
            "Responsible executor",
        ],
    ),
    ("prompt.result", ["Нәтиже", "Результат", "Result"]),
    (
        "prompt.ground",
        ["Бас тарту негізі", "Основание отказа", "Refusal ground"],
    ),
    (
        "msg.accepted",
        [
            "Қабылданды, қолхат",
            "Принято, расписка",
            "Accepted, receipt",
        ],
    ),
    (
        "msg.refused",
        [
            "Қабылдаудан бас тартылды, қолхат",
            "Отказано в приеме, расписка",
            "Refused to accept, receipt",
        ],
    ),
    ("msg.printed", ["Басылды", "Напечатано", "Printed"]),
    (
        "msg.print_failed",
        [
            "Басып шығару сәтсіз: нөмір сақталды, қайта басыңыз",
            "Печать не удалась: номер сохранен, повторите",
            "Printing failed: the number is kept, print again",
        ],
    ),
    (
        "msg.draft",
        [
            "Жіберілмеген қабылдау бар",
            "Есть неотправленный прием",
            "An intake was not submitted",
        ],
    ),
    ("msg.called", ["Шақырылды", "Вызван", "Called"]),
    (
        "msg.no_one",
        ["Ешкім күтпейді", "Никто не ждет", "No one is waiting"],
    ),
    ("msg.fix", ["Түзетіңіз", "Исправьте", "Please fix"]),
    ("msg.done", ["Орындалды", "Выполнено", "Done"]),
    (
        "msg.keymap",
        [
            "Пернелер файлында қате бар, әдепкі пернелер қолданылады",
            "В файле клавиш ошибки, используются стандартные",
            "Your keymap file has errors; using the shipped keys",
        ],
    ),
    (
        "msg.opening",
        [
            "Істер қоймасы ашылуда…",
            "Открывается хранилище дел…",
            "Opening the case store…",
        ],
    ),
    (
        "msg.link_lost",
        [
            "Демонмен байланыс үзілді: қайта қосылуда, форма сақталды",
            "Связь с демоном потеряна: переподключение, форма сохранена",
            "Lost the link to the daemon: reconnecting; your form is kept",
        ],
    ),
    (
        "draft.held",
        [
            "Жіберілмеген форма",
            "Форма не отправлена",
            "A form is not submitted",
        ],
    ),
    (
        "draft.resume",
        [
            "Осы форманы жалғастыру:",
            "Продолжить эту форму:",
            "Resume this form:",
        ],
    ),
    (
        "draft.call_keep",
        [
            "Келесіні шақыру, бұл форма сақталады (F3)",
            "Вызвать следующего, эта форма сохранится (F3)",
            "Call the next person; this form is kept (F3)",
        ],
    ),
    (
        "confirm.clear",
        [
            "Форманы тазалау керек пе? Қабылдау мерзімі тоқтамайды",
            "Очистить форму? Срок приема продолжает идти",
            "Clear the form? The acceptance window keeps running",
        ],
    ),
    ("choice.clear", ["Тазалау", "Очистить", "Clear"]),
    (
        "choice.keep",
        ["Форманы қалдыру", "Оставить форму", "Keep the form"],
    ),
    ("msg.printing", ["Басып шығарылуда…", "Печать…", "Printing…"]),
    ("receipt.duplicate", ["ТЕЛНҰСҚА", "ДУБЛИКАТ", "DUPLICATE"]),
    (
        "print.not_found",
        [
            "Басылмады: басып шығару командасы табылмады. Әкімші config.toml ішінде print_command орнатсын (frontdesk doctor тексереді); қолхат нөмірі сақталды",
            "Не напечатано: команда печати не найдена. Администратор должен указать print_command в config.toml (проверка: frontdesk doctor); номер расписки сохранен",
            "Not printed: the print command was not found. The administrator sets print_command in config.toml (frontdesk doctor checks it); the receipt keeps its number",
        ],
    ),
    (
        "print.timed_out",
        [
            "Басылмады: принтер уақытында жауап бермеді, команда тоқтатылды. Принтердің қосулы екенін тексеріп, {key} басыңыз",
            "Не напечатано: принтер не ответил вовремя, команда остановлена. Проверьте, что принтер включен, и нажмите {key}",
            "Not printed: the printer did not answer in time and the command was stopped. Check that the printer is on, then press {key}",
        ],
    ),
    (
        "print.failed",
        [
            "Басылмады: принтер қабылдамады. Қағаз бен принтерді тексеріп, {key} басыңыз; қайталанса, әкімшіге хабарлаңыз",
            "Не напечатано: принтер отказал. Проверьте бумагу и принтер и нажмите {key}; если повторится, сообщите администратору",
            "Not printed: the printer refused. Check the paper and the printer, then press {key}; if it happens again, tell the administrator",
        ],
    ),
    (
        "msg.demo",
        [
            "Көрсетілім: қызметкерлер мен кеңселер — үлгі. Нақты жұмыс үшін: frontdesk init, содан кейін {path} түзетіңіз",
            "Демонстрация: сотрудники и офисы — пример. Для настоящей работы: frontdesk init, затем исправьте {path}",
            "Demonstration: the staff and offices are an example. For the real site: frontdesk init, then edit {path}",
        ],
    ),
    ("detail.result", ["Нәтиже", "Результат", "Result"]),
    ("step.late", ["кешікті", "с опозданием", "late"]),
    ("unit.minutes", ["мин", "мин", "min"]),
    ("wd.1", ["Дс", "Пн", "Mon"]),
    ("wd.2", ["Сс", "Вт", "Tue"]),
    ("wd.3", ["Ср", "Ср", "Wed"]),
    ("wd.4", ["Бс", "Чт", "Thu"]),
    ("wd.5", ["Жм", "Пт", "Fri"]),
    ("wd.6", ["Сн", "Сб", "Sat"]),
    ("wd.7", ["Жс", "Вс", "Sun"]),
    (
        "day.off",
        ["мереке немесе демалыс күні", "праздник или выходной", "day off"],
    ),
    ("day.closed", ["жұмыс күні емес", "нерабочий день", "closed"]),
    // How the deadline was counted: why a day was skipped. {name} a holiday, {date} dd.mm.
    (
        "day.holiday",
        ["мереке: {name}", "праздник: {name}", "public holiday: {name}"],
    ),
    (
        "day.moved",
        [
            "{date} орнына демалыс: {name}",
            "выходной вместо {date}: {name}",
            "day off for {date}, a weekend: {name}",
        ],
    ),
    (
        "day.moved_unnamed",
        [
            "{date} мерекесінің орнына демалыс",
            "выходной вместо праздника {date}",
            "day off for the holiday on {date}, a weekend",
        ],
    ),
    (
        "day.transfer_off",
        [
            "ауыстыру бойынша демалыс ({date} жұмыс күні)",
            "выходной по переносу (рабочий день {date})",
            "day off by transfer (worked on {date})",
        ],
    ),
    (
        "day.transfer_work",
        [
            "ауыстыру бойынша жұмыс күні ({date} орнына)",
            "рабочий день по переносу (вместо {date})",
            "working day by transfer (for {date})",
        ],
    ),
    // A statutory limit: "30 мин", "3 сағ", "26 жұмыс күні".
    ("limit.m", ["{n} мин", "{n} мин", "{n}m"]),
    ("limit.h", ["{n} сағ", "{n} ч", "{n}h"]),
    ("limit.wd", ["{n} жұмыс күні", "{n} раб. дн.", "{n}wd"]),
    (
        "count.zero",
        [
            "Мерзім жұмыс уақытын қамтымайды: регламенттегі мерзімді тексеріңіз",
            "Срок не содержит рабочего времени: проверьте срок в регламенте",
            "The limit counts no working time: check the limit in the regulation",
        ],
    ),
    (
        "count.out_of_range",
        [
            "Мерзім күнтізбедегі жылдардан тыс: сағатты тексеріңіз немесе күнтізбені толықтырыңыз",
            "Срок выходит за годы календаря: проверьте часы или дополните календарь",
            "The deadline falls outside the calendar's years: check the clock, or extend the calendar",
        ],
    ),
    (
        "count.too_long",
        [
            "Мерзім тым ұзақ, оны санау мүмкін емес: регламенттегі мерзімді тексеріңіз",
            "Срок слишком длинный для подсчета: проверьте срок в регламенте",
            "The limit is too long to count: check the limit in the regulation",
        ],
    ),
    ("mode.global", ["барлық жерде", "везде", "global"]),
    ("mode.list", ["тізім", "список", "list"]),
    ("mode.form", ["форма", "форма", "form"]),
    ("mode.checklist", ["құжаттар", "документы", "checklist"]),
    ("mode.detail", ["іс", "дело", "detail"]),
    ("mode.receipt", ["қолхат", "расписка", "receipt"]),
    ("mode.dialog", ["сұхбат терезесі", "диалог", "dialog"]),
    ("mode.help", ["анықтама", "справка", "help"]),
    (
        "void.reason_empty",
        [
            "Себебін жазыңыз: қолхат неге жойылатынын көрсетіңіз",
            "Укажите причину: почему расписка аннулируется",
            "Give the reason: say why the receipt is void",
        ],
    ),
    (
        "receipt.voided_no_print",
        [
            "Қолхат жойылған: ол қайта басылмайды және қайта жойылмайды",
            "Расписка аннулирована: ее не печатают и не аннулируют повторно",
            "The receipt is voided: it is not printed or voided again",
        ],
    ),
    (
        "void.already",
        [
            "Қолхат бұрын жойылған",
            "Расписка уже аннулирована",
            "The receipt is already voided",
        ],
    ),
    (
        "void.too_late",
        [
            "Іс қабылдаудан әрі өтті: қолхатты енді жоюға болмайды",
            "Дело ушло дальше приема: расписку уже нельзя аннулировать",
            "The case has moved past acceptance; its receipt can no longer be voided",
        ],
    ),
    (
        "void.not_allowed",
        [
            "Қолхатты жоюға сіздің рөліңізге рұқсат жоқ",
            "Вашей роли нельзя аннулировать расписку",
            "Your role may not void this receipt",
        ],
    ),
    // Why the core refused or failed a request. {a}, {b}, {c}: the refusal's details.
    (
        "fail.not_on_staff",
        [
            "Сіз қызметкерлер тізімінде осы рөлмен және кеңсемен жоқсыз: әкімшіге хабарлаңыз",
            "Вас нет в списке сотрудников с этой ролью и офисом: сообщите администратору",
            "You are not on the staff list with this role and office: tell the administrator",
        ],
    ),
    (
        "fail.office_not_configured",
        [
            "Сіздің {a} кеңсеңіз баптауда жоқ: әкімшіге хабарлаңыз",
            "Ваш офис {a} не настроен: сообщите администратору",
            "Your office {a} is not configured: tell the administrator",
        ],
    ),
    (
        "fail.wrong_channel",
        [
            "{a} кеңсесі құжаттарды басқа арна арқылы қабылдайды: {b}",
            "Офис {a} принимает документы через другой канал: {b}",
            "Office {a} accepts through another channel: {b}",
        ],
    ),
    (
        "fail.not_an_executor",
        [
            "{a} — жауапты орындаушы емес: тізімнен орындаушыны таңдаңыз",
            "{a} — не ответственный исполнитель: выберите исполнителя из списка",
            "{a} is not an executor: choose one from the list",
        ],
    ),
    (
        "fail.office_not_served",
        [
            "{a} кеңсесіне сіз қызмет көрсетпейсіз: өз кеңсеңізді сұраңыз",
            "Вы не обслуживаете офис {a}: запросите свой офис",
            "Office {a} is not one you serve: ask for your own office",
        ],
    ),
    (
        "fail.not_found",
        [
            "«{a}» ісі табылмады: іс нөмірін немесе қолхат нөмірін беріңіз",
            "Дело «{a}» не найдено: укажите номер дела или расписки",
            "No case `{a}`: give a case number or a receipt number",
        ],
    ),
    (
        "fail.ticket_number",
        [
            "«{a}» — талон нөмірі емес: 3 әріпке дейін, содан кейін 1–4 цифр",
            "«{a}» — не номер талона: до 3 букв, затем 1–4 цифры",
            "`{a}` is not a ticket number: up to 3 letters, then 1 to 4 digits",
        ],
    ),
    (
        "fail.ticket_twice",
        [
            "{a} талоны бүгінгі кезекте бар: талондағы нөмірді тексеріңіз",
            "Талон {a} уже в сегодняшней очереди: проверьте номер на талоне",
            "Ticket {a} is already in today's queue: check the number on the ticket",
        ],
    ),
    (
        "fail.queue_full",
        [
            "Кеңседе {a} адам күтуде: жаңасын тіркемес бұрын біреулерін шақырыңыз",
            "В офисе уже ждут {a} человек: вызовите кого-нибудь, прежде чем регистрировать новых",
            "{a} people are already waiting at this office: call some before registering more",
        ],
    ),
    (
        "fail.queue_day_full",
        [
            "Кеңсе бүгін {a} талон берді — бір күндегі ең көбі",
            "Офис выдал сегодня {a} талонов — больше за день нельзя",
            "This office has issued {a} tickets today, the most a day holds",
        ],
    ),
    (
        "fail.closed",
        [
            "Іс жабық ({a}): онымен енді ештеңе істеуге болмайды",
            "Дело закрыто ({a}): с ним больше ничего нельзя сделать",
            "The case is closed ({a}); nothing more can be done on it",
        ],
    ),
    ("status.in_progress", ["орындалуда", "в работе", "in progress"]),
    (
        "fail.wrong_step",
        [
            "Іс {a} қадамында, ол «{b}» әрекетімен аяқталады, «{c}» емес",
            "Дело на шаге {a}, он завершается действием «{b}», а не «{c}»",
            "The case is at step {a}, which ends with “{b}”, not “{c}”",
        ],
    ),
    (
        "fail.wrong_role",
        [
            "{a} қадамын {b} орындайды; сіз {c} ретінде кірдіңіз",
            "Шаг {a} выполняет {b}; вы вошли как {c}",
            "Step {a} is for the {b}; you are signed in as the {c}",
        ],
    ),
    ("fail.or", ["немесе", "или", "or"]),
    (
        "fail.not_assignee",
        [
            "{a} қадамы {b} қызметкеріне тағайындалған: тек сол орындай алады",
            "Шаг {a} назначен сотруднику {b}: выполнить его может только он(а)",
            "Step {a} is assigned to {b}; only they can act on it",
        ],
    ),
    (
        "fail.executor_missing",
        [
            "Тағайындалатын орындаушыны таңдаңыз",
            "Выберите исполнителя для назначения",
            "Choose the executor to assign",
        ],
    ),
    (
        "fail.no_rework",
        [
            "{a} қадамын пысықтауға қайтаруға болмайды",
            "Шаг {a} нельзя вернуть на доработку",
            "Step {a} cannot be returned for rework",
        ],
    ),
    (
        "fail.rework_reason",
        [
            "Пысықтау себебі бос: не қайта істелуі керек екенін жазыңыз",
            "Причина доработки пуста: укажите, что нужно переделать",
            "The reason for rework is empty: say what must be redone",
        ],
    ),
    (
        "fail.result_required",
        [
            "«{a}» алдында нәтиже түрін белгілеңіз («{b}»)",
            "Перед действием «{a}» укажите вид результата («{b}»)",
            "Record the result kind (“{b}”) before “{a}”",
        ],
    ),
    (
        "fail.result_not_here",
        [
            "{a} қадамында нәтиже белгіленбейді",
            "На шаге {a} результат не указывается",
            "The result cannot be recorded at step {a}",
        ],
    ),
    (
        "fail.unknown_result",
        [
            "Белгісіз нәтиже түрі: «{a}»",
            "Неизвестный вид результата: «{a}»",
            "Unknown result kind `{a}`",
        ],
    ),
    (
        "fail.result_channel",
        [
            "«{a}» нәтижесі «{b}» арқылы берілмейді",
            "Результат «{a}» не выдается через «{b}»",
            "The result “{a}” is not issued through “{b}”",
        ],
    ),
    (
        "fail.ground_missing",
        [
            "Бас тарту үшін 19-1-баптағы негізді таңдаңыз",
            "Для отказа выберите основание по статье 19-1",
            "A refusal needs its ground under Art. 19-1: choose one",
        ],
    ),
    (
        "fail.unknown_ground",
        [
            "Белгісіз бас тарту негізі: «{a}»",
            "Неизвестное основание отказа: «{a}»",
            "Unknown refusal ground `{a}`",
        ],
    ),
    (
        "fail.time_back",
        [
            "Уақыт кері кетті: қазір {a}, ал іс соңғы рет {b} өзгерді; сағатты тексеріңіз",
            "Время пошло назад: сейчас {a}, а дело изменено в {b}; проверьте часы",
            "The time {a} is before the case's last change at {b}: check the clock",
        ],
    ),
    (
        "fail.unknown_channel",
        [
            "Белгісіз арна: «{a}»",
            "Неизвестный канал: «{a}»",
            "Unknown channel `{a}`",
        ],
    ),
    (
        "fail.step_gone",
        [
            "Регламент өзгерді: {a} қадамы енді маршрутта жоқ; әкімшіге хабарлаңыз",
            "Регламент изменился: шага {a} больше нет в маршруте; сообщите администратору",
            "The regulation changed: step {a} is no longer in the route; tell the administrator",
        ],
    ),
    (
        "fail.unsafe_reason",
        [
            "Себепте басқару, бағыт немесе көрінбейтін таңба бар: қайта теріңіз",
            "В причине есть управляющий, направляющий или невидимый символ: наберите заново",
            "The reason holds a control, direction or invisible character: retype it",
        ],
    ),
    (
        "fail.reason_long",
        [
            "Себеп {a} таңба: ең көбі {b} болады",
            "В причине {a} символов: допускается не более {b}",
            "The reason is {a} characters long; at most {b} are allowed",
        ],
    ),
    (
        "fail.uncountable",
        [
            "Мерзімді есептеу мүмкін емес: сағатты тексеріңіз немесе күнтізбені толықтырыңыз",
            "Срок нельзя подсчитать: проверьте часы или дополните календарь",
            "The deadline cannot be counted: check the clock, or extend the calendar",
        ],
    ),
    (
        "fail.disk_full",
        [
            "Сақталмады: диск толы. Әкімшіге хабарлаңыз; орын босағанда бағдарлама өзі қайта сақтайды",
            "Не сохранено: диск заполнен. Сообщите администратору; когда место освободится, программа сохранит сама",
            "Not saved: the disk is full. Tell the administrator; it saves again by itself once there is room",
        ],
    ),
    (
        "fail.not_saved",
        [
            "Сақталмады: дерекқорға жазу мүмкін болмады. Сәлден соң қайталаңыз; қайталанса, әкімшіге хабарлаңыз",
            "Не сохранено: запись в базу не удалась. Повторите чуть позже; если повторится, сообщите администратору",
            "Not saved: the database could not be written. Try again shortly; if it happens again, tell the administrator",
        ],
    ),
    (
        "fail.applying",
        [
            "Журналда {a}-жазба ретінде сақталды, дерекқорға өзі енгізіледі — қайта енгізбеңіз",
            "Сохранено в журнале как запись {a}, в базу будет внесено само — не вводите повторно",
            "Saved in the journal as record {a}; the database applies it by itself — do not key it again",
        ],
    ),
    (
        "fail.uncertain",
        [
            "Сақтау кезінде дерекқормен байланыс үзілді: сақталған болуы мүмкін. Қайталамас бұрын істі іздеп табыңыз",
            "Связь с базой прервалась при сохранении: возможно, сохранено. Найдите дело, прежде чем повторять",
            "The link to the database dropped while saving: it may have been saved. Look the case up before doing it again",
        ],
    ),
    (
        "fail.damaged",
        [
            "Деректер зақымдалған немесе журналға сәйкес келмейді: ештеңе сақталмайды. Әкімшіге хабарлаңыз",
            "Данные повреждены или не совпадают с журналом: ничего не сохраняется. Сообщите администратору",
            "The data is damaged or does not match the journal: nothing is saved. Tell the administrator",
        ],
    ),
    (
        "fail.store",
        [
            "Деректер қоймасының қатесі: сақталмаған болуы мүмкін. Әкімшіге хабарлаңыз",
            "Ошибка хранилища данных: возможно, не сохранено. Сообщите администратору",
            "The data store failed: it may not be saved. Tell the administrator",
        ],
    ),
    (
        "fail.draft",
        [
            "Толтырылып жатқан форма сақталмады",
            "Заполняемая форма не сохранена",
            "The form being typed was not kept",
        ],
    ),
    (
        "fail.already_accepted",
        [
            "Бұл форма бұрын қабылданған: қолхат {a}. Оны істер тізімінен табыңыз (F4), қайта қабылдамаңыз",
            "Эта форма уже принята: расписка {a}. Найдите ее в списке дел (F4), не принимайте повторно",
            "This form was accepted already: receipt {a}. Find it under the cases (F4); do not accept it again",
        ],
    ),
    (
        "fail.internal",
        [
            "Ішкі қате: бағдарламаны қайта іске қосыңыз",
            "Внутренняя ошибка: перезапустите программу",
            "Internal failure: restart the program",
        ],
    ),
    (
        "fail.link_dropped",
        [
            "Жауап келгенше сервермен байланыс үзілді: орындалғанын тексеріп, қайталаңыз",
            "Связь с сервером прервалась до ответа: проверьте, выполнено ли, и повторите",
            "The link to the server dropped before the answer came: check whether it was done, then try again",
        ],
    ),
    (
        "fail.not_connected",
        [
            "Сервермен байланыс жоқ (қайта қосылуда): ештеңе жіберілмеді; сәлден соң қайталаңыз",
            "Нет связи с сервером (переподключение): ничего не отправлено; повторите через минуту",
            "Not connected to the server (reconnecting): nothing was sent; try again in a moment",
        ],
    ),
    (
        "fail.no_answer",
        [
            "Сервер уақытында жауап бермеді: орындалғанын тексеріп, қайталаңыз",
            "Сервер не ответил вовремя: проверьте, выполнено ли, и повторите",
            "The server did not answer in time: check whether it was done, then try again",
        ],
    ),
    (
        "fail.stopping",
        [
            "Сервер тоқтап жатыр: сәлден соң қайталаңыз",
            "Сервер останавливается: повторите через минуту",
            "The server is stopping: try again in a moment",
        ],
    ),
    (
        "fail.too_large",
        [
            "Жауап тым үлкен ({a} байт, шегі {b}): азырақ сұраңыз",
            "Ответ слишком большой ({a} байт, предел {b}): запросите меньше",
            "The answer is too large ({a} bytes, limit {b}): ask for less",
        ],
    ),
    (
        "fail.moved",
        [
            "Іс осы арада басқа қадамға өтті ({a}): экран жаңартылды",
            "Пока дело было открыто, оно перешло на шаг {a}: экран обновлен",
            "The case moved on to step {a} meanwhile: the screen is refreshed",
        ],
    ),
    (
        "repair.rebuilt",
        [
            "Дерекқор ашылмады: ол журналдан қайта құрылды ({a} оқиға). Әкімшіге хабарлаңыз",
            "База не открылась: она восстановлена из журнала ({a} событий). Сообщите администратору",
            "The database could not be opened: it was rebuilt from the journal ({a} events). Tell the administrator",
        ],
    ),
    (
        "repair.replayed",
        [
            "Соңғы тоқтағанға дейін дерекқорға жетпеген {a} сақтау журналдан енгізілді",
            "{a} сохранений не дошли до базы перед остановкой; они внесены из журнала",
            "{a} saves had not reached the database before the last stop; they were applied from the journal",
        ],
    ),
    (
        "repair.torn",
        [
            "Расталмаған, үзілген сақтау ({a} байт) журналдың соңынан алынып тасталды",
            "Прерванное неподтвержденное сохранение ({a} байт) отрезано от конца журнала",
            "An interrupted save ({a} bytes, never confirmed) was cut off the end of the journal",
        ],
    ),
    (
        "repair.damaged",
        [
            "Журнал зақымдалған: істерді оқуға болады, бірақ ештеңе сақталмайды. Әкімшіге хабарлаңыз",
            "Журнал поврежден: дела можно читать, но ничего не сохраняется. Сообщите администратору",
            "The journal is damaged: cases can be read, nothing more is saved. Tell the administrator",
        ],
    ),
    (
        "problem.value",
        [
            "мән қабылданбады: тексеріңіз",
            "значение не принято: проверьте его",
            "the value is not accepted: check it",
        ],
    ),
    (
        "problem.future_birth",
        [
            "туған күні болашақта ({a}): қатені іздеңіз",
            "дата рождения в будущем ({a}): ищите опечатку",
            "gives a birth date in the future ({a}): look for a typo",
        ],
    ),
    // Countdown units, written right after the number: "9мин 57с", "26күн 5сағ".
    ("unit.d", ["күн", "дн", "d"]),
    ("unit.h", ["сағ", "ч", "h"]),
    ("unit.m", ["мин", "мин", "m"]),
    ("unit.s", ["с", "с", "s"]),
    (
        "problem.long",
        [
            "{a} таңба; ең көбі {b} болады",
            "{a} символов; допускается не более {b}",
            "is {a} characters long; at most {b} are allowed",
        ],
    ),
    (
        "problem.empty",
        [
            "бос: толық аты-жөнін теріңіз",
            "пусто: введите полное имя",
            "is empty: type the full name",
        ],
    ),
    (
        "problem.no_letter",
        [
            "бірде-бір әріп жоқ: толық аты-жөнін теріңіз",
            "нет ни одной буквы: введите полное имя",
            "has no letter: type the full name",
        ],
    ),
    (
        "problem.phone_char",
        [
            "«{a}» телефон нөмірінде болмайды: тек цифрлар, бос орын, + ( ) -",
            "«{a}» недопустим в номере телефона: только цифры, пробелы, + ( ) -",
            "`{a}` is not allowed in a phone number: digits, spaces, + ( ) - only",
        ],
    ),
    (
        "problem.phone_digits",
        [
            "{a} цифр; +7-ден кейін 10 цифр керек (мысалы +7 701 234 56 78)",
            "{a} цифр; после +7 нужно 10 цифр (например +7 701 234 56 78)",
            "has {a} digits; a Kazakh number has 10 after +7 (e.g. +7 701 234 56 78)",
        ],
    ),
    (
        "problem.no_measure",
        [
            "кемінде бір қолдау шарасын таңдаңыз",
            "выберите хотя бы одну меру поддержки",
            "choose at least one support measure",
        ],
    ),
    (
        "problem.rep_name",
        [
            "сенімхат немесе өкілдің ЖСН-і бар, бірақ өкілдің аты-жөні жоқ",
            "указаны доверенность или ИИН представителя, но нет имени представителя",
            "a power of attorney or representative IIN is given without the representative's name",
        ],
    ),
    (
        "problem.poa",
        [
            "өкілге нотариалды сенімхат керек: нөмірі мен күнін теріңіз",
            "представителю нужна нотариальная доверенность: введите ее номер и дату",
            "a representative needs the notarised power of attorney: type its number and date",
        ],
    ),
    (
        "msg.unexpected",
        [
            "Ядродан күтпеген жауап келді; экранды жаңартыңыз (F2–F4)",
            "Ядро ответило не то, что ожидалось; откройте экран заново (F2–F4)",
            "The core gave an unexpected answer; open the screen again (F2–F4)",
        ],
    ),
    (
        "msg.store_lost",
        [
            "Дерекқормен байланыс жоқ: қайта қосылуда; әзірге ештеңе сақталмайды",
            "Нет связи с базой данных: переподключение; пока ничего не сохраняется",
            "The database is unreachable: reconnecting; nothing can be saved meanwhile",
        ],
    ),
    (
        "msg.store_back",
        [
            "Дерекқормен байланыс қалпына келді",
            "Связь с базой данных восстановлена",
            "The database is back",
        ],
    ),
    (
        "msg.store_not_saved",
        [
            "Сақталмады: дерекқор қолжетімсіз, қайталап көріңіз",
            "Не сохранено: база данных недоступна, попробуйте ещё раз",
            "Not saved: the database is unreachable, try again",
        ],
    ),
    (
        "msg.link_back",
        [
            "Байланыс қалпына келді",
            "Связь восстановлена",
            "Reconnected",
        ],
    ),
    ("msg.updated", ["Жаңартылды", "Обновлено", "Updated"]),
    (
        "paused",
        [
            "тоқтатылды, жалғасады",
            "пауза, продолжится",
            "paused, resumes",
        ],
    ),
    ("action.help", ["Анықтама", "Справка", "Help"]),
    ("action.quit", ["Шығу", "Выход", "Quit"]),
    ("action.queue", ["Кезек", "Очередь", "Queue"]),
    ("action.intake", ["Қабылдау", "Прием", "Intake"]),
    ("action.cases", ["Істер", "Дела", "Cases"]),
    (
        "action.dashboard",
        ["Бақылау тақтасы", "Панель руководителя", "Dashboard"],
    ),
    (
        "screen.dashboard",
        ["Бақылау тақтасы", "Панель руководителя", "Dashboard"],
    ),
    ("dash.queue", ["Кезек", "Очередь", "Queue"]),
    (
        "dash.served",
        [
            "бүгін қызмет көрсетілді",
            "обслужено сегодня",
            "served today",
        ],
    ),
    (
        "dash.accepted",
        ["бүгін қабылданды", "принято сегодня", "accepted today"],
    ),
    (
        "dash.overruns",
        [
            "қабылдау мерзімі асқан",
            "превышен срок приема",
            "windows overrun",
        ],
    ),
    ("dash.on_track", ["мерзімде", "в срок", "on track"]),
    (
        "dash.due_soon",
        ["мерзімі жақын", "срок близко", "due soon"],
    ),
    ("dash.overdue", ["мерзімі өткен", "просрочено", "overdue"]),
    ("dash.paused", ["тоқтатылған", "на паузе", "paused"]),
    (
        "dash.breach_hour",
        [
            "1 жұмыс сағатында мерзімі өтеді",
            "Просрочатся в течение рабочего часа",
            "Breach within 1 working hour",
        ],
    ),
    (
        "dash.breach_today",
        [
            "жұмыс күнінің соңына дейін",
            "до конца рабочего дня",
            "by the end of the working day",
        ],
    ),
    ("dash.people", ["Қызметкерлер", "Сотрудники", "People"]),
    ("dash.open", ["ашық", "открыто", "open"]),
    ("dash.oldest", ["ең ескісі", "старейшее с", "oldest since"]),
    (
        "dash.trend",
        [
            "Күн сайын қабылданды (30 күн)",
            "Принято по дням (30 дней)",
            "Accepted per working day (30 days)",
        ],
    ),
    (
        "dash.within",
        [
            "Мерзімінде аяқталған қадамдар",
            "Шаги, завершенные в срок",
            "Steps finished within their limit",
        ],
    ),
    ("dash.loading", ["Есептелуде…", "Считается…", "Counting…"]),
    ("action.language", ["Тіл", "Язык", "Language"]),
    ("action.theme", ["Контраст", "Контраст", "Contrast"]),
    ("action.up", ["Жоғары", "Вверх", "Up"]),
    ("action.down", ["Төмен", "Вниз", "Down"]),
    ("action.page_up", ["Бет жоғары", "Стр. вверх", "Page up"]),
    ("action.page_down", ["Бет төмен", "Стр. вниз", "Page down"]),
    (
        "action.next_field",
        ["Келесі өріс", "След. поле", "Next field"],
    ),
    (
        "action.prev_field",
        ["Алдыңғы өріс", "Пред. поле", "Previous field"],
    ),
    ("action.open", ["Ашу", "Открыть", "Open"]),
    ("action.left", ["Солға", "Влево", "Left"]),
    ("action.right", ["Оңға", "Вправо", "Right"]),
    ("action.back", ["Артқа", "Назад", "Back"]),
    ("action.confirm", ["Растау", "Подтвердить", "Confirm"]),
    ("action.cancel", ["Болдырмау", "Отмена", "Cancel"]),
    ("action.erase", ["Өшіру", "Стереть", "Erase"]),
    ("action.toggle", ["Белгілеу", "Отметить", "Tick"]),
    (
        "action.submit",
        [
            "Қабылдау / бас тарту",
            "Принять / отказать",
            "Accept / refuse",
        ],
    ),
    (
        "action.submit_print",
        [
            "Қабылдау және басып шығару",
            "Принять и напечатать",
            "Accept and print",
        ],
    ),
    (
        "action.all_documents",
        ["Барлық құжат бар", "Все документы есть", "All documents present"],
    ),
    ("submit.print", ["+ басу", "+ печать", "+ print"]),
    (
        "action.clear_form",
        ["Форманы тазалау", "Очистить форму", "Clear form"],
    ),
    (
        "action.arrival",
        [
            "Келушіні тіркеу",
            "Регистрация посетителя",
            "Register arrival",
        ],
    ),
    (
        "action.call_next",
        ["Келесіні шақыру", "Вызвать следующего", "Call next"],
    ),
    ("action.search", ["Іздеу", "Поиск", "Search"]),
    (
        "action.next_filter",
        ["Келесі тізім", "След. список", "Next list"],
    ),
    ("action.action_1", ["1-әрекет", "Действие 1", "Action 1"]),
    ("action.action_2", ["2-әрекет", "Действие 2", "Action 2"]),
    ("action.action_3", ["3-әрекет", "Действие 3", "Action 3"]),
    ("action.action_4", ["4-әрекет", "Действие 4", "Action 4"]),
    ("action.action_5", ["5-әрекет", "Действие 5", "Action 5"]),
    (
        "action.explain",
        ["Мерзімді түсіндіру", "Объяснить срок", "Explain deadline"],
    ),
    ("action.print", ["Басып шығару", "Печать", "Print"]),
    ("action.void", ["Жою", "Аннулировать", "Void"]),
    (
        "act.register",
        [
            "Тіркеу, басшыға жолдау",
            "Зарегистрировать, передать руководителю",
            "Register, pass to head",
        ],
    ),
    (
        "act.assign-executor",
        [
            "Орындаушыны тағайындау",
            "Назначить исполнителя",
            "Assign executor",
        ],
    ),
    (
        "act.submit-for-signature",
        [
            "Қол қоюға жолдау",
            "Передать на подпись",
            "Submit for signature",
        ],
    ),
    ("act.sign", ["Қол қою", "Подписать", "Sign"]),
    (
        "act.return-for-rework",
        [
            "Пысықтауға қайтару",
            "Вернуть на доработку",
            "Return for rework",
        ],
    ),
    (
        "act.record-result",
        ["Нәтижені белгілеу", "Указать результат", "Record result"],
    ),
    (
        "act.send-to-provider",
        [
            "Қызмет берушіге жолдау",
            "Направить услугодателю",
            "Send to provider",
        ],
    ),
    (
        "act.hand-to-state-corp",
        ["МК-ға беру", "Передать в ГК", "Hand to State Corporation"],
    ),
    (
        "act.receive-result",
        ["Нәтижені қабылдау", "Принять результат", "Receive result"],
    ),
    (
        "act.issue",
        ["Нәтижені беру", "Выдать результат", "Issue result"],
    ),
    ("act.accept", ["Қабылдау", "Принять", "Accept"]),
    // A step is recorded only when chosen knowingly: the question names the action and the case.
    (
        "confirm.step",
        [
            "{n} қолхаты бойынша ({p}) «{a}» жазылсын ба? Сан пернелері мұнда растамайды",
            "Записать «{a}» по расписке {n} ({p})? Цифры здесь не подтверждают",
            "Record «{a}» on receipt {n} ({p})? Number keys do not confirm here",
        ],
    ),
    (
        "choice.record_nothing",
        [
            "Артқа: ештеңе жазбау",
            "Назад: ничего не записывать",
            "Back: record nothing",
        ],
    ),
    (
        "choice.record_step",
        ["Жазу: «{a}»", "Записать: «{a}»", "Record: «{a}»"],
    ),
    // History lines: what happened, in the past tense.
    ("done.accept", ["Қабылданды", "Принято", "Accepted"]),
    (
        "done.refused",
        [
            "Қабылдаудан бас тартылды",
            "Отказано в приеме",
            "Refused to accept",
        ],
    ),
    (
        "done.register",
        [
            "Тіркелді, басшыға жолданды",
            "Зарегистрировано, передано руководителю",
            "Registered, passed to the head",
        ],
    ),
    (
        "done.assign-executor",
        [
            "Орындаушы тағайындалды",
            "Назначен исполнитель",
            "Executor assigned",
        ],
    ),
    (
        "done.submit-for-signature",
        [
            "Қол қоюға жолданды",
            "Передано на подпись",
            "Submitted for signature",
        ],
    ),
    ("done.sign", ["Қол қойылды", "Подписано", "Signed"]),
    (
        "done.return-for-rework",
        [
            "Пысықтауға қайтарылды",
            "Возвращено на доработку",
            "Returned for rework",
        ],
    ),
    (
        "done.record-result",
        ["Нәтиже белгіленді", "Указан результат", "Result recorded"],
    ),
    (
        "done.send-to-provider",
        [
            "Қызмет берушіге жолданды",
            "Направлено услугодателю",
            "Sent to the provider",
        ],
    ),
    (
        "done.hand-to-state-corp",
        ["МК-ға берілді", "Передано в ГК", "Handed to the State Corporation"],
    ),
    (
        "done.receive-result",
        ["Нәтиже қабылданды", "Результат принят", "Result received"],
    ),
    ("done.issue", ["Нәтиже берілді", "Результат выдан", "Result issued"]),
    ("done.printed", ["Қолхат басылды", "Расписка напечатана", "Receipt printed"]),
    (
        "done.print_failed",
        ["Қолхат басылмады", "Расписка не напечатана", "Receipt not printed"],
    ),
    ("done.voided", ["Қолхат жойылды", "Расписка аннулирована", "Receipt voided"]),
    // ---- dialogs whose first choice is the safe one; small terminals; kept forms ----
    (
        "choice.back_to_form",
        ["Формаға оралу", "Вернуться к форме", "Back to the form"],
    ),
    (
        "choice.refuse",
        [
            "Бас тарту: бас тарту қолхатын беру",
            "Отказать: выдать расписку об отказе",
            "Refuse: issue the refusal receipt",
        ],
    ),
    (
        "too_small.keys",
        [
            "Терезе үлкейгенше пернелер әрекет етпейді; {quit} — шығу, {lang} — тіл",
            "Пока окно мало, клавиши не действуют; {quit} — выход, {lang} — язык",
            "Keys do nothing until the window is larger; {quit} quits, {lang} changes language",
        ],
    ),
    (
        "msg.drafts",
        [
            "Жіберілмеген қабылдау",
            "Неотправленные приемы",
            "Intakes not submitted",
        ],
    ),
    (
        "msg.forms_full",
        [
            "Жіберілмеген {n} форма ашық: келесі адамды шақырмас бұрын біреуін аяқтаңыз (қабылдау не бас тарту)",
            "Открыто {n} неотправленных форм: завершите одну (прием или отказ), прежде чем вызывать следующего",
            "{n} unsubmitted forms are open: finish one (accept or refuse) before calling the next person",
        ],
    ),
    (
        "field.opened_at",
        ["Қабылдаудың басталуы", "Начало приема", "Intake opened"],
    ),
    ("field.draft", ["Форма", "Форма", "Form"]),
    ("field.channel", ["Арна", "Канал", "Channel"]),
    (
        "problem.unsafe",
        [
            "{a}-орында {what} бар (U+{b}): онсыз қайта теріңіз",
            "в позиции {a} {what} (U+{b}): наберите без него",
            "has {what} U+{b} at position {a}: retype it without it",
        ],
    ),
    (
        "kind.control",
        ["басқару таңбасы", "управляющий символ", "control character"],
    ),
    (
        "kind.invisible",
        ["көрінбейтін таңба", "невидимый символ", "invisible character"],
    ),
    (
        "kind.direction",
        [
            "мәтін бағытын өзгертетін таңба",
            "символ смены направления текста",
            "text-direction character",
        ],
    ),
    ("kind.line", ["жол бөлгіш", "разделитель строк", "line separator"]),
    (
        "msg.char_left_out",
        [
            "Өріске жазылмады: {what} (U+{code}) — мұндай таңба қабылданбайды",
            "Не вставлено в поле: {what} (U+{code}) — такие символы не принимаются",
            "Left out of the field: {what} U+{code}, which is not accepted",
        ],
    ),
    (
        "problem.opened_long_ago",
        [
            "қабылдау терезесі мен қосымша уақыт ({a} мин) өтіп кетті: адам осында болса, форманы қайта ашыңыз (Esc, сосын форма пернесі), терезе сол сәттен басталады",
            "окно приема и запас времени ({a} мин) истекли: если человек здесь, откройте форму заново (Esc, затем клавиша формы), окно начнется с этой минуты",
            "the acceptance window and its grace ({a} min) have passed: if the person is here, open the form again (Esc, then the form key) and its window starts then",
        ],
    ),
    (
        "problem.opened_future",
        [
            "болашақтағы уақыт: осы терминалдың сағатын тексеріңіз",
            "время в будущем: проверьте часы этого терминала",
            "is in the future: check this counter's clock",
        ],
    ),
    (
        "msg.window_restarted",
        [
            "{who}: қабылдау терезесі өтіп кеткен; адам қайта келді, терезе қазір қайта басталды ({n} мин)",
            "{who}: окно приема истекло; человек вернулся, окно начато заново сейчас ({n} мин)",
            "{who}: the acceptance window had passed; the person is back, so it starts again now ({n} min)",
        ],
    ),
    (
        "queue.forms",
        ["Жіберілмеген", "Не отправлены", "Not submitted"],
    ),
    (
        "confirm.leave_unprinted",
        [
            "Қолхат басылған жоқ",
            "Расписка не напечатана",
            "The receipt was not printed",
        ],
    ),
    (
        "choice.stay",
        ["Қолхатта қалу", "Остаться на расписке", "Stay on the receipt"],
    ),
    (
        "choice.leave_unprinted",
        [
            "Басылмаған күйде шығу",
            "Выйти, не напечатав",
            "Leave it unprinted",
        ],
    ),
    (
        "msg.left_unprinted",
        [
            "{number} қолхаты басылған жоқ: оны «Істер» арқылы ашып, басып шығарыңыз",
            "Расписка {number} не напечатана: откройте ее в «Делах» и напечатайте",
            "Receipt {number} was not printed: open it from Cases and print it",
        ],
    ),
];

fn index() -> &'static HashMap<&'static str, [&'static str; 3]> {
    static INDEX: OnceLock<HashMap<&'static str, [&'static str; 3]>> = OnceLock::new();
    INDEX.get_or_init(|| TABLE.iter().copied().collect())
}

/// The text of `key` in `lang`; an unknown key shows itself, so a gap is visible, not fatal.
pub fn t(lang: Lang, key: &str) -> &str {
    let slot = match lang {
        Lang::Kk => 0,
        Lang::Ru => 1,
        Lang::En => 2,
    };
    index().get(key).map_or(key, |texts| texts[slot])
}

/// A form problem in `lang`: the field's label and what is wrong.
pub fn problem_text(lang: Lang, problem: &crate::domain::intake::FieldProblem) -> String {
    use crate::domain::intake::Problem;
    let label_key = match problem.field.as_str() {
        "measure" | "measures" => "field.measures".to_string(),
        "docs" | "documents" => "field.documents".to_string(),
        // The names the core gives a draft's fields.
        "representative_name" => "field.representative".to_string(),
        "power_of_attorney" => "field.poa".to_string(),
        field => format!("field.{field}"),
    };
    let label = match t(lang, &label_key) {
        missing if missing == label_key => problem.field.clone(),
        label => label.to_string(),
    };
    let fill = |key: &str, a: String, b: String| t(lang, key).replace("{a}", &a).replace("{b}", &b);
    let what = match &problem.kind {
        Problem::UnsafeCharacter {
            position,
            code,
            kind,
        } => fill(
            "problem.unsafe",
            position.to_string(),
            format!("{code:04X}"),
        )
        .replace("{what}", unsafe_kind_name(lang, *kind)),
        Problem::OpenedTooLongAgo { minutes } => fill(
            "problem.opened_long_ago",
            minutes.to_string(),
            String::new(),
        ),
        Problem::OpenedInFuture => t(lang, "problem.opened_future").to_string(),
        Problem::TooLong { chars, max } => fill("problem.long", chars.to_string(), max.to_string()),
        Problem::Empty => t(lang, "problem.empty").to_string(),
        Problem::NoLetter => t(lang, "problem.no_letter").to_string(),
        Problem::PhoneCharacter { character } => {
            fill("problem.phone_char", character.to_string(), String::new())
        }
        Problem::PhoneDigits { digits } => {
            fill("problem.phone_digits", digits.to_string(), String::new())
        }
        Problem::Iin(error) => iin_error(lang, error),
        Problem::FutureBirthDate { born } => fill(
            "problem.future_birth",
            born.format("%d.%m.%Y").to_string(),
            String::new(),
        ),
        Problem::NoMeasure => t(lang, "problem.no_measure").to_string(),
        Problem::RepresentativeNameMissing => t(lang, "problem.rep_name").to_string(),
        Problem::PowerOfAttorneyMissing => t(lang, "problem.poa").to_string(),
        Problem::Other if lang == Lang::En => problem.message.clone(),
        Problem::Other => t(lang, "problem.value").to_string(),
    };
    match &problem.kind {
        // An IIN's own messages name the IIN already.
        Problem::Iin(_) => what,
        _ => format!("{label}: {what}"),
    }
}

/// What kind of character a field refuses, in `lang` (an invisible one is never called a
/// control character).
pub fn unsafe_kind_name(lang: Lang, kind: crate::domain::text::UnsafeKind) -> &'static str {
    use crate::domain::text::UnsafeKind;
    t(
        lang,
        match kind {
            UnsafeKind::Control => "kind.control",
            UnsafeKind::DirectionOverride => "kind.direction",
            UnsafeKind::Invisible => "kind.invisible",
            UnsafeKind::LineSeparator => "kind.line",
        },
    )
}

/// Why the core refused or failed a request, in `lang`, with roles, staff, actions, channels
/// and results by their names. The core's English text (with paths and causes) is for logs and
/// the command line; the screens say the kind.
pub fn failure_text(lang: Lang, failure: &Failure, ctx: &Context) -> String {
    let regulation = &ctx.regulation;
    let fill = |key: &str, a: &str, b: &str, c: &str| {
        t(lang, key)
            .replace("{a}", a)
            .replace("{b}", b)
            .replace("{c}", c)
    };
    let one = |key: &str, a: &str| fill(key, a, "", "");
    let channel = |id: &str| {
        regulation
            .channel(id)
            .map_or(id.to_string(), |c| c.name.get(lang).to_string())
    };
    let store = |failure: &StoreFailure| match failure {
        StoreFailure::DiskFull => t(lang, "fail.disk_full").to_string(),
        StoreFailure::NotSaved => t(lang, "fail.not_saved").to_string(),
        StoreFailure::Unreachable => t(lang, "msg.store_not_saved").to_string(),
        StoreFailure::Applying { seq } => one("fail.applying", &seq.to_string()),
        StoreFailure::Uncertain => t(lang, "fail.uncertain").to_string(),
        StoreFailure::Damaged => t(lang, "fail.damaged").to_string(),
        StoreFailure::TooManyDrafts { limit } => {
            t(lang, "msg.forms_full").replace("{n}", &limit.to_string())
        }
        StoreFailure::Other => t(lang, "fail.store").to_string(),
    };
    match &failure.kind {
        FailureKind::Forbidden(why) => match why {
            // Said to the one refused: their own login is no news to them.
            Forbidden::NotOnStaff { .. } => t(lang, "fail.not_on_staff").to_string(),
            Forbidden::OfficeNotConfigured { office } => one("fail.office_not_configured", office),
            Forbidden::WrongChannel { office, serves, .. } => {
                fill("fail.wrong_channel", office, &channel(serves), "")
            }
            Forbidden::NotAnExecutor { staff, .. } => {
                one("fail.not_an_executor", &ctx.staff_name(staff))
            }
            Forbidden::OfficeNotServed { office } => one("fail.office_not_served", office),
        },
        FailureKind::NotFound { reference } => one("fail.not_found", reference),
        FailureKind::Invalid(problems) => problems
            .iter()
            .map(|p| problem_text(lang, p))
            .collect::<Vec<_>>()
            .join("; "),
        FailureKind::Queue(error) => match error {
            QueueError::BadNumber(text) => one("fail.ticket_number", text),
            QueueError::Duplicate(number) => one("fail.ticket_twice", number),
            QueueError::Full => one("fail.queue_full", &MAX_WAITING.to_string()),
            QueueError::DayFull => one("fail.queue_day_full", &MAX_TICKETS_A_DAY.to_string()),
        },
        FailureKind::Lifecycle(error) => lifecycle_text(lang, error, ctx),
        FailureKind::Store(failure) => store(failure),
        FailureKind::Draft(failure) => format!("{}: {}", t(lang, "fail.draft"), store(failure)),
        FailureKind::AlreadyAccepted { receipt_no } => one("fail.already_accepted", receipt_no),
        FailureKind::Internal | FailureKind::Link(LinkFailure::ClientBroken) => {
            t(lang, "fail.internal").to_string()
        }
        FailureKind::Link(link) => match link {
            LinkFailure::Dropped => t(lang, "fail.link_dropped").to_string(),
            LinkFailure::NotConnected => t(lang, "fail.not_connected").to_string(),
            LinkFailure::NoAnswer => t(lang, "fail.no_answer").to_string(),
            LinkFailure::Stopping => t(lang, "fail.stopping").to_string(),
            LinkFailure::AnswerTooLarge { size, limit } => {
                fill("fail.too_large", &size.to_string(), &limit.to_string(), "")
            }
            LinkFailure::ClientBroken => t(lang, "fail.internal").to_string(),
        },
    }
}

/// What opening the store repaired, in `lang`.
pub fn repair_text(lang: Lang, repair: &OpenRepair) -> String {
    let (key, n) = match repair {
        OpenRepair::Rebuilt { events } => ("repair.rebuilt", *events),
        OpenRepair::Replayed { events } => ("repair.replayed", *events),
        OpenRepair::TornSave { bytes } => ("repair.torn", *bytes),
        OpenRepair::JournalDamaged => ("repair.damaged", 0),
    };
    t(lang, key).replace("{a}", &n.to_string())
}

/// A refusal of the case's lifecycle in `lang`.
pub fn lifecycle_text(lang: Lang, error: &LifecycleError, ctx: &Context) -> String {
    let regulation = &ctx.regulation;
    let fill = |key: &str, a: &str, b: &str, c: &str| {
        t(lang, key)
            .replace("{a}", a)
            .replace("{b}", b)
            .replace("{c}", c)
    };
    let one = |key: &str, a: &str| fill(key, a, "", "");
    let role = |id: &str| {
        regulation
            .role(id)
            .map_or(id.to_string(), |r| lowercase_first(r.name.get(lang)))
    };
    let roles = |ids: &[String]| {
        ids.iter()
            .map(|id| role(id))
            .collect::<Vec<_>>()
            .join(&format!(" {} ", t(lang, "fail.or")))
    };
    let action = |id: &str| match t(lang, &format!("act.{id}")) {
        missing if missing.starts_with("act.") => id.to_string(),
        name => name.to_string(),
    };
    let result = |id: &str| {
        regulation
            .result_kind(id)
            .map_or(id.to_string(), |r| r.name.get(lang).to_string())
    };
    let channel = |id: &str| {
        regulation
            .channel(id)
            .map_or(id.to_string(), |c| c.name.get(lang).to_string())
    };
    match error {
        LifecycleError::Closed(status) => {
            let status = match status.as_str() {
                "in progress" => t(lang, "status.in_progress").to_string(),
                other => match t(lang, &format!("status.{other}")) {
                    missing if missing.starts_with("status.") => other.to_string(),
                    text => text.to_string(),
                },
            };
            one("fail.closed", &status)
        }
        LifecycleError::WrongStep {
            step,
            expected,
            requested,
        } => fill(
            "fail.wrong_step",
            step,
            &action(expected),
            &action(requested),
        ),
        LifecycleError::WrongRole {
            step,
            allowed,
            role: mine,
        } => fill("fail.wrong_role", step, &roles(allowed), &role(mine)),
        LifecycleError::NotAssignee { step, assignee } => {
            fill("fail.not_assignee", step, &ctx.staff_name(assignee), "")
        }
        LifecycleError::ExecutorMissing => t(lang, "fail.executor_missing").to_string(),
        LifecycleError::NoRework(step) => one("fail.no_rework", step),
        LifecycleError::ReasonMissing => t(lang, "fail.rework_reason").to_string(),
        LifecycleError::ResultRequired(requested) => fill(
            "fail.result_required",
            &action(requested),
            &action("record-result"),
            "",
        ),
        LifecycleError::ResultNotHere(step) => one("fail.result_not_here", step),
        LifecycleError::UnknownResult(kind) => one("fail.unknown_result", kind),
        LifecycleError::ResultNotForChannel { kind, channel: id } => {
            fill("fail.result_channel", &result(kind), &channel(id), "")
        }
        LifecycleError::GroundMissing => t(lang, "fail.ground_missing").to_string(),
        LifecycleError::UnknownGround(ground) => one("fail.unknown_ground", ground),
        LifecycleError::TimeWentBack { now, last } => fill("fail.time_back", now, last, ""),
        LifecycleError::UnknownChannel(id) => one("fail.unknown_channel", id),
        LifecycleError::StepGone(step) => one("fail.step_gone", step),
        LifecycleError::AlreadyVoided => t(lang, "void.already").to_string(),
        LifecycleError::TooLateToVoid => t(lang, "void.too_late").to_string(),
        LifecycleError::VoidReasonMissing => t(lang, "void.reason_empty").to_string(),
        LifecycleError::UnsafeReason(_) => t(lang, "fail.unsafe_reason").to_string(),
        LifecycleError::ReasonTooLong(chars) => fill(
            "fail.reason_long",
            &chars.to_string(),
            &MAX_REASON_CHARS.to_string(),
            "",
        ),
        LifecycleError::NotAllowed { .. } => t(lang, "void.not_allowed").to_string(),
        LifecycleError::Uncountable(_) => t(lang, "fail.uncountable").to_string(),
    }
}

/// "Басшы" → "басшы": a role's name inside a sentence.
fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A statutory limit in `lang`: "30 мин", "3 сағ", "1 ч 30 мин", "26 жұмыс күні".
pub fn limit_text(lang: Lang, limit: crate::calendar::WorkDuration) -> String {
    use crate::calendar::WorkDuration;
    let unit = |key: &str, n: u32| t(lang, key).replace("{n}", &n.to_string());
    match limit {
        WorkDuration::WorkingDays(days) => unit("limit.wd", days),
        WorkDuration::Minutes(minutes) => match (minutes / 60, minutes % 60) {
            (0, m) => unit("limit.m", m),
            (h, 0) => unit("limit.h", h),
            (h, m) => format!("{} {}", unit("limit.h", h), unit("limit.m", m)),
        },
    }
}

/// Why a day is not an ordinary one, in `lang`: the holiday by its name in that language, a
/// moved or transferred day off by its dates. A holiday the calendar file does not name in
/// `lang` is "holiday or day off".
pub fn day_note_text(lang: Lang, note: &crate::calendar::DayNote) -> String {
    use crate::calendar::{DayNote, HolidayName};
    let name_in = |name: &HolidayName| match lang {
        Lang::Kk => name.kk.clone(),
        Lang::Ru => name.ru.clone(),
        Lang::En => Some(name.english().to_string()).filter(|n| !n.is_empty()),
    };
    // Day and month, as the explanation's other lines: its dates are weeks apart at most.
    let date = |d: chrono::NaiveDate| d.format("%d.%m").to_string();
    let fill = |key: &str, name: &str, day: chrono::NaiveDate| {
        t(lang, key)
            .replace("{name}", name)
            .replace("{date}", &date(day))
    };
    match note {
        DayNote::Holiday { name, .. } => match name_in(name) {
            Some(name) => t(lang, "day.holiday").replace("{name}", &name),
            None => t(lang, "day.off").to_string(),
        },
        DayNote::MovedDayOff { holiday, from, .. } => match name_in(holiday) {
            Some(name) => fill("day.moved", &name, *from),
            None => fill("day.moved_unnamed", "", *from),
        },
        DayNote::TransferredDayOff { work_day, .. } => fill("day.transfer_off", "", *work_day),
        DayNote::TransferredWorkDay { day_off, .. } => fill("day.transfer_work", "", *day_off),
    }
}

/// Why a deadline cannot be counted, in `lang`.
pub fn working_time_error(lang: Lang, error: &crate::calendar::WorkingTimeError) -> String {
    use crate::calendar::WorkingTimeError;
    let key = match error {
        WorkingTimeError::Zero(_) => "count.zero",
        WorkingTimeError::OutOfRange { .. } | WorkingTimeError::BeyondCalendar { .. } => {
            "count.out_of_range"
        }
        WorkingTimeError::TooLong { .. } => "count.too_long",
    };
    t(lang, key).to_string()
}

pub fn iin_error(lang: Lang, error: &crate::domain::iin::IinError) -> String {
    use crate::domain::iin::IinError;
    let (key, value) = match error {
        IinError::Empty => ("iin.empty", String::new()),
        IinError::Length { found } => ("iin.length", found.to_string()),
        IinError::NotDigit { found, .. } => ("iin.digit", found.to_string()),
        IinError::Century { digit } => ("iin.century", digit.to_string()),
        IinError::BirthDate { yymmdd } => ("iin.date", yymmdd.clone()),
        IinError::CheckDigit { found, .. } => ("iin.check", found.to_string()),
        IinError::NoCheckDigit => ("iin.none", String::new()),
    };
    let text = t(lang, key).replacen("{}", &value, 1);
    match error {
        IinError::Length { found } => text.replace("{digits}", digits_word(lang, *found)),
        _ => text,
    }
}

/// "digit" after a number, in the number's grammatical form (Kazakh does not inflect it).
fn digits_word(lang: Lang, n: usize) -> &'static str {
    match lang {
        Lang::Kk => "цифр",
        Lang::Ru => match (n % 10, n % 100) {
            (_, 11..=14) => "цифр",
            (1, _) => "цифра",
            (2..=4, _) => "цифры",
            _ => "цифр",
        },
        Lang::En if n == 1 => "digit",
        Lang::En => "digits",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iin_s_length_is_said_with_the_number_s_own_form() {
        use crate::domain::iin::IinError;
        let said = |lang, found| iin_error(lang, &IinError::Length { found });
        assert_eq!(said(Lang::Ru, 1), "В ИИН 1 цифра, нужно 12");
        assert_eq!(said(Lang::Ru, 3), "В ИИН 3 цифры, нужно 12");
        assert_eq!(said(Lang::Ru, 11), "В ИИН 11 цифр, нужно 12");
        assert_eq!(said(Lang::Ru, 21), "В ИИН 21 цифра, нужно 12");
        assert_eq!(said(Lang::En, 1), "IIN has 1 digit, it needs 12");
        assert_eq!(said(Lang::Kk, 5), "ЖСН-да 5 цифр, 12 керек");
    }

    #[test]
    fn every_key_is_unique_and_translated() {
        assert_eq!(index().len(), TABLE.len(), "a key is listed twice");
        for (key, texts) in TABLE {
            assert!(texts.iter().all(|t| !t.trim().is_empty()), "{key}");
        }
        // Every step action has its past tense for the history.
        for action in crate::domain::regulation::Action::ALL {
            let key = format!("done.{}", action.id());
            assert_ne!(t(Lang::Ru, &key), key);
        }
        for action in crate::tui::keymap::Action::ALL {
            assert_ne!(
                t(Lang::En, &format!("action.{}", action.id())),
                format!("action.{}", action.id())
            );
        }
    }
}
