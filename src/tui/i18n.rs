//! Interface text in Kazakh, Russian and English. Official terms follow DOMAIN.md's glossary.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::domain::Lang;

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
            "В ИИН {} цифр, нужно 12",
            "IIN has {} digits, it needs 12",
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
            "Бас тарту қолхатын беру керек пе? Enter — иә, Esc — жоқ",
            "Выдать расписку об отказе? Enter — да, Esc — нет",
            "Issue the refusal receipt? Enter yes, Esc no",
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
    // Countdown units, written right after the number: "9мин 57с", "26күн 5сағ".
    ("unit.d", ["күн", "дн", "d"]),
    ("unit.h", ["сағ", "ч", "h"]),
    ("unit.m", ["мин", "мин", "m"]),
    ("unit.s", ["с", "с", "s"]),
    (
        "problem.control",
        [
            "{a}-орында басқару таңбасы бар: қайта теріңіз",
            "управляющий символ в позиции {a}: наберите заново",
            "contains a control character at position {a}: retype it",
        ],
    ),
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

/// An IIN problem in the interface language.
/// A form problem in `lang`: the field's label and what is wrong. `text` is the field's value
/// (an IIN's own check says which digit is wrong).
pub fn problem_text(
    lang: Lang,
    problem: &crate::domain::intake::FieldProblem,
    text: &str,
) -> String {
    use crate::domain::intake::Problem;
    let label_key = match problem.field.as_str() {
        "measure" => "field.measures".to_string(),
        "docs" => "field.documents".to_string(),
        field => format!("field.{field}"),
    };
    let label = match t(lang, &label_key) {
        missing if missing == label_key => problem.field.clone(),
        label => label.to_string(),
    };
    let fill = |key: &str, a: String, b: String| t(lang, key).replace("{a}", &a).replace("{b}", &b);
    let what = match &problem.kind {
        Problem::ControlCharacter { position } => {
            fill("problem.control", position.to_string(), String::new())
        }
        Problem::TooLong { chars, max } => fill("problem.long", chars.to_string(), max.to_string()),
        Problem::Empty => t(lang, "problem.empty").to_string(),
        Problem::NoLetter => t(lang, "problem.no_letter").to_string(),
        Problem::PhoneCharacter { character } => {
            fill("problem.phone_char", character.to_string(), String::new())
        }
        Problem::PhoneDigits { digits } => {
            fill("problem.phone_digits", digits.to_string(), String::new())
        }
        Problem::Iin => match crate::domain::iin::Iin::parse(text) {
            Err(error) => iin_error(lang, &error),
            Ok(_) => problem.message.clone(),
        },
        Problem::NoMeasure => t(lang, "problem.no_measure").to_string(),
        Problem::RepresentativeNameMissing => t(lang, "problem.rep_name").to_string(),
        Problem::PowerOfAttorneyMissing => t(lang, "problem.poa").to_string(),
        Problem::Other => problem.message.clone(),
    };
    format!("{label}: {what}")
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
    t(lang, key).replacen("{}", &value, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

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
