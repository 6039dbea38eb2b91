//! The message catalogue: every text the API shows a person, keyed, in English and German, with
//! `{name}` placeholders for the arguments. A new message is a new line pair here; the test
//! below checks that both texts of every key are there and name the same placeholders.
//!
//! Field paths (`input.title`), slugs, numbers and enum values are arguments and stay as sent:
//! they are the API's words, not the language's.

use super::Locale;

#[macro_use]
mod define;

catalogue! {
    // Text input (validate.rs, the boundary's control-character rule).
    NotEmpty: "{field} must not be empty" / "{field} darf nicht leer sein";
    TooLong: "{field} is {length} characters long; at most {max} are allowed" / "{field} ist {length} Zeichen lang; höchstens {max} sind erlaubt";
    NotHttpUrl: "{field} must be an absolute http or https URL" / "{field} muss eine absolute http- oder https-URL sein";
    NotEmail: "{field} is not an email address" / "{field} ist keine E-Mail-Adresse";
    NotSlug: "{field} must be 2 to 100 characters of a-z, 0-9 and single hyphens (e.g. stadt-bottrop)" / "{field} muss aus 2 bis 100 Zeichen a-z, 0-9 und einzelnen Bindestrichen bestehen (z. B. stadt-bottrop)";
    PeriodReversed: "the period ends ({ends}) before it starts ({starts})" / "der Zeitraum endet ({ends}), bevor er beginnt ({starts})";
    ControlCharacter: "{field} contains a control character (such as U+0000); text may hold tabs and line breaks, no other characters below U+0020" / "{field} enthält ein Steuerzeichen (etwa U+0000); Text darf Tabulatoren und Zeilenumbrüche enthalten, keine anderen Zeichen unter U+0020";
    OneLine: "{field} must be one line: no line breaks, tabs or other control characters" / "{field} muss eine Zeile sein: ohne Zeilenumbrüche, Tabulatoren oder andere Steuerzeichen";
    IntOutOfRange: "{field} is {value}, outside the range of Int (a 32-bit integer from -2147483648 to 2147483647)" / "{field} ist {value} und liegt außerhalb des Bereichs von Int (einer 32-Bit-Ganzzahl von -2147483648 bis 2147483647)";
    AtMostEntries: "at most {max} entries" / "höchstens {max} Einträge";

    // Lists and ids.
    CursorMalformed: "the cursor is malformed or belongs to another list or ordering" / "der Cursor ist fehlerhaft oder gehört zu einer anderen Liste oder Sortierung";
    FeedCursorMalformed: "the cursor is malformed or belongs to another list" / "der Cursor ist fehlerhaft oder gehört zu einer anderen Liste";
    FeedCursorForeign: "this cursor does not belong to this feed" / "dieser Cursor gehört nicht zu diesem Feed";
    FirstNegative: "first must not be negative" / "first darf nicht negativ sein";
    FirstTooLargePage: "first must be at most {max}; page through the list with after" / "first darf höchstens {max} sein; blättern Sie mit after durch die Liste";
    LastNegative: "last must not be negative" / "last darf nicht negativ sein";
    LastTooLargePage: "last must be at most {max}; page through the list with before"
        / "last darf höchstens {max} sein; blättern Sie mit before durch die Liste";
    FirstAndLast: "give first or last, not both" / "geben Sie first oder last an, nicht beides";
    FirstTooLarge: "first must be at most {max}" / "first darf höchstens {max} sein";
    WrongIdKind: "{field} is not the id of a {kind}" / "{field} ist keine ID eines Objekts vom Typ {kind}";
    TooManyIds: "at most {max} ids at once" / "höchstens {max} IDs auf einmal";
    OneOfAgsAndSlug: "give exactly one of ags and slug" / "geben Sie genau eines von ags und slug an";
    RelevanceNeedsSearch: "RELEVANCE orders the hits of a search: give filter.search"
        / "RELEVANCE ordnet die Treffer einer Suche: geben Sie filter.search an";
    NoSearchWord: "give at least one word that is not a stop word"
        / "geben Sie mindestens ein Wort an, das kein Stoppwort ist";

    // Directory.
    NoSuchTopic: "there is no topic \"{slug}\"" / "es gibt kein Thema \"{slug}\"";
    NoSuchProgramme: "no programme has the slug \"{slug}\"" / "kein Programm hat den Slug \"{slug}\"";
    NoSuchAgency: "no agency has the slug \"{slug}\"" / "keine Agentur hat den Slug \"{slug}\"";
    NoSuchMunicipality: "no municipality has the AGS \"{ags}\"" / "keine Kommune hat den AGS \"{ags}\"";
    AgencyCarriesItself: "an agency cannot carry itself" / "eine Agentur kann nicht ihr eigener Träger sein";
    AgsLengthDistrict: "the AGS of a district or region has exactly {length} digits (got \"{ags}\")"
        / "der AGS eines Kreises oder einer Region hat genau {length} Ziffern (erhalten: \"{ags}\")";
    AgsLengthTown: "the AGS of a city or town has exactly {length} digits (got \"{ags}\")"
        / "der AGS einer Stadt oder Gemeinde hat genau {length} Ziffern (erhalten: \"{ags}\")";
    AgsPrefix: "an AGS in {state} starts with {prefix} (got \"{ags}\")"
        / "ein AGS in {state} beginnt mit {prefix} (erhalten: \"{ags}\")";
    PopulationNegative: "population must not be negative" / "population darf nicht negativ sein";
    TargetAgreementNeedsMunicipality: "a target agreement (Zielvereinbarung) is between an agency and a municipality: give municipalityAgs"
        / "eine Zielvereinbarung wird zwischen einer Agentur und einer Kommune geschlossen: geben Sie municipalityAgs an";
    TargetAgreementHasNoPartner: "a target agreement (Zielvereinbarung) has no partner agency"
        / "eine Zielvereinbarung hat keine Partneragentur";
    CooperationNeedsOneParty: "a cooperation agreement has exactly one other party: give municipalityAgs or partnerAgencySlug"
        / "eine Kooperationsvereinbarung hat genau eine weitere Partei: geben Sie municipalityAgs oder partnerAgencySlug an";
    AgreementWithItself: "an agency cannot sign an agreement with itself"
        / "eine Agentur kann keine Vereinbarung mit sich selbst schließen";

    // Good practices.
    LicenceNotSpdx: "a licence is an SPDX identifier such as CC-BY-4.0 or CC0-1.0"
        / "eine Lizenz ist ein SPDX-Bezeichner wie CC-BY-4.0 oder CC0-1.0";
    BodyTooLarge: "the body has {bytes} bytes; at most {max} (200 KB) are allowed"
        / "der Text hat {bytes} Bytes; höchstens {max} (200 KB) sind erlaubt";
    AtMostLinks: "at most {max} links" / "höchstens {max} Links";
    LinkNeedsUrl: "a link needs a URL" / "ein Link braucht eine URL";
    SeveralAgencies: "you edit for several agencies: say which with agencySlug"
        / "Sie bearbeiten für mehrere Agenturen: geben Sie mit agencySlug an, für welche";
    TooManySyncItems: "{count} items; at most {max} per call: send the rest in further calls"
        / "{count} Einträge; höchstens {max} pro Aufruf: senden Sie den Rest in weiteren Aufrufen";

    // Events.
    PostalCode: "a German postal code has five digits" / "eine deutsche Postleitzahl hat fünf Ziffern";
    VenueNeedsCity: "a venue needs its city" / "ein Veranstaltungsort braucht seinen Ort";
    CapacityRange: "capacity must be between 1 and {max} (leave it null for unlimited seats)"
        / "capacity muss zwischen 1 und {max} liegen (null für unbegrenzte Plätze)";
    RegistrationClosesAfterEnd: "registration must close before the event ends"
        / "die Anmeldung muss schließen, bevor die Veranstaltung endet";
    RegistrationOpensTooLate: "registration must open before it closes and before the event ends"
        / "die Anmeldung muss öffnen, bevor sie schließt und bevor die Veranstaltung endet";
    NotATimeZone: "\"{zone}\" is not an IANA time zone such as Europe/Berlin"
        / "\"{zone}\" ist keine IANA-Zeitzone wie Europe/Berlin";
    EndsBeforeStart: "the event must end after it starts" / "die Veranstaltung muss nach ihrem Beginn enden";
    EventNeedsPlace: "an event needs a venue, an online URL, or both"
        / "eine Veranstaltung braucht einen Veranstaltungsort, eine Online-URL oder beides";
    AtMostTopics: "at most {max} topics" / "höchstens {max} Themen";
    CapacityBelowSeats: "{seats} participants hold a seat; the capacity cannot go below that (cancel registrations first)"
        / "{seats} Teilnehmende haben einen Platz; die Kapazität kann nicht darunter sinken (stornieren Sie zuerst Anmeldungen)";
    CompleteBeforeStart: "an event can be completed once it has started"
        / "eine Veranstaltung kann erst abgeschlossen werden, wenn sie begonnen hat";
    EventCancelled: "the event was cancelled" / "die Veranstaltung wurde abgesagt";
    EventOver: "the event is over" / "die Veranstaltung ist vorbei";
    EventStarted: "the event has already started; registration is closed"
        / "die Veranstaltung hat bereits begonnen; die Anmeldung ist geschlossen";
    RegistrationOpensAt: "registration opens at {at}" / "die Anmeldung öffnet am {at}";
    RegistrationClosedAt: "registration closed at {at}" / "die Anmeldung hat am {at} geschlossen";
    CancelAfterStart: "the event has started; only the organiser can cancel now"
        / "die Veranstaltung hat begonnen; nur die Veranstalter können jetzt noch stornieren";
    CancelAfterAttendance: "attendance was recorded for this registration; it can no longer be cancelled"
        / "für diese Anmeldung wurde die Teilnahme erfasst; sie kann nicht mehr storniert werden";
    AttendanceConfirmedOnly: "attendance is recorded for confirmed participants only"
        / "die Teilnahme wird nur für bestätigte Teilnehmende erfasst";
    AttendanceBeforeStart: "attendance can be recorded once the event has started"
        / "die Teilnahme kann erst erfasst werden, wenn die Veranstaltung begonnen hat";
    PromoteNotWaitlisted: "only a registration on the waiting list can be moved to a seat"
        / "nur eine Anmeldung auf der Warteliste kann auf einen Platz nachrücken";
    PromoteNotScheduled: "the event is no longer scheduled" / "die Veranstaltung ist nicht mehr geplant";
    EventFull: "the event is fully booked and has no waiting list"
        / "die Veranstaltung ist ausgebucht und hat keine Warteliste";

    // Forums.
    NoSuchThread: "there is no such thread" / "diesen Thread gibt es nicht";
    NoSuchForum: "there is no such forum" / "dieses Forum gibt es nicht";
    NoSuchMember: "there is no such member" / "dieses Mitglied gibt es nicht";
    ReplyInOtherThread: "the post replied to must be in the same thread"
        / "der beantwortete Beitrag muss im selben Thread stehen";
    PostNotInThread: "the post is not in this thread" / "der Beitrag steht nicht in diesem Thread";
    AtMostTags: "at most {max} tags" / "höchstens {max} Schlagwörter";
    TagTooLong: "the tag \"{tag}\" is longer than {max} characters"
        / "das Schlagwort \"{tag}\" ist länger als {max} Zeichen";
    PostRateLimited: "at most {max} posts a minute; wait a moment"
        / "höchstens {max} Beiträge pro Minute; warten Sie einen Moment";

    // Indicators (education monitoring).
    ImportEmpty: "the file holds no values" / "die Datei enthält keine Werte";
    ImportHeader: "the first line is neither the header of a GENESIS flat CSV (ffcsv: time, value, value_variable_code, …) nor ags;year;code;value"
        / "die erste Zeile ist weder der Kopf einer GENESIS-Flatfile-CSV (ffcsv: time, value, value_variable_code, …) noch ags;year;code;value";
    LineNotCsv: "the line cannot be read as CSV: {error}" / "die Zeile lässt sich nicht als CSV lesen: {error}";
    LineFieldCount: "expected {expected} fields separated by semicolons, found {found}"
        / "erwartet wurden {expected} durch Semikolons getrennte Felder, gefunden {found}";
    LineColumnEmpty: "the column {column} is empty" / "die Spalte {column} ist leer";
    LineNoRegion: "the line names no region (no GEMEIN, KREISE, REGBEZ or DLAND variable)"
        / "die Zeile nennt keine Region (keine Variable GEMEIN, KREISE, REGBEZ oder DLAND)";
    LineBadYear: "\"{year}\" is not a year (such as 2023, 2023-12-31 or 2023/24)"
        / "\"{year}\" ist kein Jahr (etwa 2023, 2023-12-31 oder 2023/24)";
    LineBadValue: "\"{value}\" is neither a number (such as 12,5) nor a special sign (-, ., x, /, ...)"
        / "\"{value}\" ist weder eine Zahl (etwa 12,5) noch ein Sonderzeichen (-, ., x, /, ...)";
    LineValueTooLarge: "the value {value} is beyond what an indicator can mean (at most ±1e15)"
        / "der Wert {value} liegt außerhalb dessen, was ein Indikator bedeuten kann (höchstens ±1e15)";
    LineUnknownAgs: "no municipality has the AGS \"{ags}\"" / "keine Kommune hat den AGS \"{ags}\"";
    LineUnknownCode: "no indicator has the code \"{code}\" (define it first with saveIndicator)"
        / "kein Indikator hat den Code \"{code}\" (legen Sie ihn zuerst mit saveIndicator an)";
    LineDuplicate: "line {first} holds a value for the same municipality, indicator and year already"
        / "Zeile {first} enthält bereits einen Wert für dieselbe Kommune, denselben Indikator und dasselbe Jahr";
    NoSuchIndicator: "no indicator has the code \"{code}\"" / "kein Indikator hat den Code \"{code}\"";
    IndicatorCode: "a code is 1 to 64 characters of A-Z, a-z, 0-9, _, -, . and :"
        / "ein Code besteht aus 1 bis 64 Zeichen A-Z, a-z, 0-9, _, -, . und :";
    DecimalsRange: "decimals must be between 0 and {max}" / "decimals muss zwischen 0 und {max} liegen";
    YearsReversed: "from ({from}) is after to ({to})" / "from ({from}) liegt nach to ({to})";
    YearRange: "{field} must be a year between {min} and {max}"
        / "{field} muss ein Jahr zwischen {min} und {max} sein";
    CompareNeedsMunicipalities: "give at least one AGS" / "geben Sie mindestens einen AGS an";
    ChartCompare: "compare is a comma-separated list of AGS or median"
        / "compare ist eine kommagetrennte Liste von AGS oder median";
    // Portals.
    NotAnOrigin: "{field} must be an origin such as https://www.example.de (scheme, host and port only)"
        / "{field} muss ein Origin wie https://www.example.de sein (nur Schema, Host und Port)";
    NoSuchPortalKey: "no portal has this key (it may have been rotated)"
        / "kein Portal hat diesen Schlüssel (er wurde vielleicht erneuert)";
    NoPortal: "name the portal: send the X-Portal-Key header or give portalKey"
        / "nennen Sie das Portal: senden Sie den Header X-Portal-Key oder geben Sie portalKey an";
    NoSuchForumSlug: "no forum has the slug \"{slug}\"" / "kein Forum hat den Slug \"{slug}\"";
    NotCuratable: "{field} is not the id of a good practice, training event or forum"
        / "{field} ist keine ID einer guten Praxis, einer Veranstaltung oder eines Forums";
    NotCollectable: "{field} is not the id of a good practice or training event"
        / "{field} ist keine ID einer guten Praxis oder einer Veranstaltung";
    NoSuchItem: "{field} names nothing that exists" / "{field} bezeichnet nichts, was es gibt";
    ItemTwice: "{field} names an item that is in the list already"
        / "{field} nennt einen Eintrag, der schon in der Liste steht";
    GraceHoursRange: "graceHours must be between 0 and {max}" / "graceHours muss zwischen 0 und {max} liegen";

    // Members, accounts, API clients.
    LoginRateLimited: "too many failed logins for this email; try again in {minutes} minutes"
        / "zu viele fehlgeschlagene Anmeldungen für diese E-Mail-Adresse; versuchen Sie es in {minutes} Minuten erneut";
    CurrentPasswordWrong: "the current password is wrong" / "das aktuelle Passwort ist falsch";
    PasswordWrong: "the password is wrong" / "das Passwort ist falsch";
    LanguageUnknown: "{field} must be de or en" / "{field} muss de oder en sein";
    LinkInvalid: "the link is invalid, was used already or has expired; ask for a new one"
        / "der Link ist ungültig, wurde schon benutzt oder ist abgelaufen; fordern Sie einen neuen an";
    EmailUnchanged: "this is your address already" / "das ist bereits Ihre Adresse";
    MailRateLimited: "too many requests of this kind; try again in an hour"
        / "zu viele Anfragen dieser Art; versuchen Sie es in einer Stunde erneut";
    NothingToGrant: "every signed-in member is a MEMBER; there is nothing to grant"
        / "jedes angemeldete Mitglied ist MEMBER; es gibt nichts zu vergeben";
    RoleNeedsAgency: "{role} is held for an agency: give agencySlug"
        / "{role} gilt für eine Agentur: geben Sie agencySlug an";
    RoleIsPlatformWide: "{role} is a platform role, not held for an agency"
        / "{role} ist eine Plattformrolle und gilt nicht für eine Agentur";
    PrivateKeyUploaded: "this is a private key: upload the public key only, keep the private key"
        / "das ist ein privater Schlüssel: laden Sie nur den öffentlichen Schlüssel hoch und behalten Sie den privaten";
    RsaKeyTooShort: "the RSA key has {bits} bits; at least {min} are needed"
        / "der RSA-Schlüssel hat {bits} Bit; mindestens {min} sind nötig";
    NotAPublicKey: "not a PEM public key of type Ed25519 or RSA"
        / "kein öffentlicher PEM-Schlüssel vom Typ Ed25519 oder RSA";

    // Passwords: the rules, then zxcvbn's warnings and suggestions (its own texts are English).
    PasswordTooShort: "the password has {length} characters; it needs at least {min}"
        / "das Passwort hat {length} Zeichen; es braucht mindestens {min}";
    PasswordTooLong: "the password may have at most {max} characters"
        / "das Passwort darf höchstens {max} Zeichen haben";
    PasswordGuessable: "the password is too easy to guess" / "das Passwort ist zu leicht zu erraten";
    PasswordGuessableBecause: "the password is too easy to guess: {warning}"
        / "das Passwort ist zu leicht zu erraten: {warning}";
    PasswordAdvice: "{problem}. {suggestions}" / "{problem}. {suggestions}";
    PasswordUseWords: "Use a few unrelated words or a passphrase."
        / "Nehmen Sie ein paar Wörter, die nichts miteinander zu tun haben, oder eine Passphrase.";
    WarnStraightRows: "Straight rows of keys are easy to guess." / "Gerade Tastenreihen sind leicht zu erraten.";
    WarnShortKeyboardPatterns: "Short keyboard patterns are easy to guess."
        / "Kurze Tastaturmuster sind leicht zu erraten.";
    WarnRepeats: "Repeats like \"aaa\" are easy to guess." / "Wiederholungen wie \"aaa\" sind leicht zu erraten.";
    WarnRepeatedGroups: "Repeats like \"abcabcabc\" are only slightly harder to guess than \"abc\"."
        / "Wiederholungen wie \"abcabcabc\" sind kaum schwerer zu erraten als \"abc\".";
    WarnTop10: "This is a top-10 common password." / "Das ist eines der 10 häufigsten Passwörter.";
    WarnTop100: "This is a top-100 common password." / "Das ist eines der 100 häufigsten Passwörter.";
    WarnCommon: "This is a very common password." / "Das ist ein sehr häufiges Passwort.";
    WarnSimilarToCommon: "This is similar to a commonly used password."
        / "Das ähnelt einem häufig verwendeten Passwort.";
    WarnSequences: "Sequences like abc or 6543 are easy to guess."
        / "Folgen wie abc oder 6543 sind leicht zu erraten.";
    WarnRecentYears: "Recent years are easy to guess." / "Jahreszahlen der letzten Zeit sind leicht zu erraten.";
    WarnSingleWord: "A word by itself is easy to guess." / "Ein einzelnes Wort ist leicht zu erraten.";
    WarnDates: "Dates are often easy to guess." / "Daten sind oft leicht zu erraten.";
    WarnNames: "Names and surnames by themselves are easy to guess."
        / "Vor- und Nachnamen allein sind leicht zu erraten.";
    WarnCommonNames: "Common names and surnames are easy to guess."
        / "Häufige Vor- und Nachnamen sind leicht zu erraten.";
    SuggestFewWords: "Use a few words, avoid common phrases."
        / "Nehmen Sie ein paar Wörter und vermeiden Sie gängige Redewendungen.";
    SuggestNoSymbolsNeeded: "No need for symbols, digits, or uppercase letters."
        / "Sonderzeichen, Ziffern oder Großbuchstaben sind nicht nötig.";
    SuggestAnotherWord: "Add another word or two. Uncommon words are better."
        / "Fügen Sie ein oder zwei Wörter hinzu. Ungewöhnliche Wörter sind besser.";
    SuggestCapitalization: "Capitalization doesn't help very much." / "Großschreibung hilft nicht viel.";
    SuggestAllUppercase: "All-uppercase is almost as easy to guess as all-lowercase."
        / "Nur Großbuchstaben sind fast so leicht zu erraten wie nur Kleinbuchstaben.";
    SuggestReversedWords: "Reversed words aren't much harder to guess."
        / "Rückwärts geschriebene Wörter sind kaum schwerer zu erraten.";
    SuggestSubstitutions: "Predictable substitutions like '@' instead of 'a' don't help very much."
        / "Vorhersehbare Ersetzungen wie '@' statt 'a' helfen nicht viel.";
    SuggestLongerKeyboardPattern: "Use a longer keyboard pattern with more turns."
        / "Nehmen Sie ein längeres Tastaturmuster mit mehr Richtungswechseln.";
    SuggestAvoidRepeats: "Avoid repeated words and characters." / "Vermeiden Sie wiederholte Wörter und Zeichen.";
    SuggestAvoidSequences: "Avoid sequences." / "Vermeiden Sie Folgen.";
    SuggestAvoidRecentYears: "Avoid recent years." / "Vermeiden Sie Jahreszahlen der letzten Zeit.";
    SuggestAvoidYears: "Avoid years that are associated with you."
        / "Vermeiden Sie Jahreszahlen, die mit Ihnen zu tun haben.";
    SuggestAvoidDates: "Avoid dates and years that are associated with you."
        / "Vermeiden Sie Daten und Jahreszahlen, die mit Ihnen zu tun haben.";
    // Access, lookups and conflicts.
    InvalidCredentials: "invalid or expired credentials" / "ungültige oder abgelaufene Anmeldedaten";
    SignInFirst: "sign in first" / "melden Sie sich zuerst an";
    MembersOnly: "only a signed-in member can do this" / "das kann nur ein angemeldetes Mitglied";
    NeedsAdmin: "this needs a platform administrator" / "dafür braucht es eine Administratorin oder einen Administrator der Plattform";
    NeedsAgencyAdmin: "this needs an administrator of the agency" / "dafür braucht es eine Administratorin oder einen Administrator der Einrichtung";
    NeedsAgencyEditor: "this needs an editor of the agency" / "dafür braucht es eine Redakteurin oder einen Redakteur der Einrichtung";
    NeedsModerator: "this needs a moderator" / "dafür braucht es eine Moderation";
    ThreadLocked: "the thread is locked: nobody can reply any more" / "das Thema ist gesperrt: niemand kann mehr antworten";
    PostDeleted: "the post was deleted" / "der Beitrag wurde gelöscht";
    OnlyAuthorEdits: "only the author can edit a post" / "nur die Verfasserin oder der Verfasser kann einen Beitrag bearbeiten";
    OnlyAuthorOrModeratorDeletes: "only the author or a moderator can delete a post" / "nur die Verfasserin oder der Verfasser oder die Moderation kann einen Beitrag löschen";
    MayNotWriteInForum: "you may not write in this forum" / "Sie dürfen in diesem Forum nicht schreiben";
    NeedsForumModerator: "this needs a moderator of the forum" / "dafür braucht es eine Moderation des Forums";
    OnlyFailedResent: "only a FAILED message can be sent again" / "nur eine Nachricht mit FAILED kann erneut gesendet werden";
    NoSuchOutboxMessage: "no such message in the outbox" / "keine solche Nachricht im Postausgang";
    SendOrganiserToken: "send the organiser's Bearer token" / "senden Sie das Bearer-Token der Veranstalterin oder des Veranstalters";
    EventCancelledFrozen: "the event was cancelled and can no longer change" / "die Veranstaltung wurde abgesagt und kann sich nicht mehr ändern";
    EventCompletedFrozen: "the event is completed and can no longer change" / "die Veranstaltung ist abgeschlossen und kann sich nicht mehr ändern";
    NoSeatFree: "no seat is free" / "kein Platz ist frei";
    NoSuchQuota: "no such seat quota" / "kein solches Kontingent";
    QuotasNeedCapacity: "seat quotas divide a capacity: the event needs one" / "Kontingente teilen eine Kapazität auf: die Veranstaltung braucht eine";
    QuotasExceedCapacity: "the quotas and the seats taken outside them need {needed} seats; the capacity is {capacity}"
        / "die Kontingente und die außerhalb belegten Plätze brauchen {needed} Plätze; die Kapazität ist {capacity}";
    QuotaBelowTaken: "{taken} participants hold a seat of this quota; it cannot have fewer seats"
        / "{taken} Teilnehmende haben einen Platz dieses Kontingents; es kann nicht weniger Plätze haben";
    QuotaSeatsRange: "a quota has 1 to {max} seats" / "ein Kontingent hat 1 bis {max} Plätze";
    QuotaEntitlement: "say whom the quota is for with exactly one of municipalityAgs, programmeSlug and accompaniedByAgencySlug"
        / "geben Sie mit genau einem von municipalityAgs, programmeSlug und accompaniedByAgencySlug an, für wen das Kontingent ist";
    QuotaNeedsMunicipalities: "name at least one municipality" / "nennen Sie mindestens eine Kommune";
    AtMostMunicipalities: "at most {max} municipalities" / "höchstens {max} Kommunen";
    AtMostQuotas: "an event has at most {max} seat quotas" / "eine Veranstaltung hat höchstens {max} Kontingente";
    QuotaUntilAfterStart: "a quota's seats fall back to the general pool before the event starts, not after"
        / "die Plätze eines Kontingents fallen vor Beginn der Veranstaltung an alle zurück, nicht danach";
    AlreadyRegistered: "you are already registered for this event" / "Sie sind für diese Veranstaltung bereits angemeldet";
    EmailTaken: "an account with this email exists already" / "ein Konto mit dieser E-Mail-Adresse gibt es bereits";
    EmailTakenMeanwhile: "another account uses this email meanwhile" / "ein anderes Konto verwendet diese E-Mail-Adresse inzwischen";
    ConfirmEmailFirst: "confirm your email address first: follow the link in the mail we sent you (resendVerification sends a new one)" / "bestätigen Sie zuerst Ihre E-Mail-Adresse: folgen Sie dem Link in der Mail, die wir Ihnen geschickt haben (resendVerification schickt einen neuen)";
    KidTaken: "this client has a key with this kid already" / "dieser Client hat bereits einen Schlüssel mit dieser kid";
    WrongLogin: "the email or the password is wrong" / "die E-Mail-Adresse oder das Passwort ist falsch";
    LastAdmin: "this is the last administrator; grant ADMIN to someone else first" / "dies ist die letzte Administration; vergeben Sie ADMIN zuerst an jemand anderen";
    AgreementExists: "an agreement of this kind between these parties exists already" / "eine Vereinbarung dieser Art zwischen diesen Parteien gibt es bereits";
    FeedCursorExpired: "this cursor is older than the change feed keeps deletions: start again from null (after: null) and replace your mirror with what the feed returns" / "dieser Cursor ist älter als die Löschungen, die der Änderungs-Feed aufbewahrt: beginnen Sie wieder bei null (after: null) und ersetzen Sie Ihren Spiegel durch das, was der Feed liefert";
    SignInOrClient: "sign in, or authenticate as an API client" / "melden Sie sich an oder authentifizieren Sie sich als API-Client";
    NeedsEditorOrClient: "this needs an editor of an agency or its API client" / "dafür braucht es eine Redaktion einer Einrichtung oder deren API-Client";
    ExternalIdRace: "another call created a practice with this external id at the same moment: send the item again" / "ein anderer Aufruf hat im selben Moment ein Praxisbeispiel mit dieser externen ID angelegt: senden Sie den Eintrag noch einmal";
    NoSuchEvent: "no such training event" / "keine solche Veranstaltung";
    AgencyNotFound: "no such agency" / "keine solche Einrichtung";
    NoSuchApiClient: "no such API client" / "kein solcher API-Client";
    NoSuchApiKey: "no such API key" / "kein solcher API-Schlüssel";
    CollectionSlugTaken: "this portal has a collection with this slug" / "dieses Portal hat bereits eine Sammlung mit diesem Slug";
    SlugOrExternalIdTaken: "the slug or external id is taken" / "der Slug oder die externe ID ist vergeben";
    ProgrammeSlugTaken: "the slug is taken by another programme" / "der Slug ist an ein anderes Programm vergeben";
    EventSlugTaken: "the slug is taken by another event" / "der Slug ist an eine andere Veranstaltung vergeben";
    AgencySlugTaken: "the slug is taken by another agency" / "der Slug ist an eine andere Einrichtung vergeben";
    AlreadyTakesPart: "the municipality takes part already" / "die Kommune nimmt bereits teil";
    ClientAgencyGone: "the client's agency is gone" / "die Einrichtung des Clients gibt es nicht mehr";
    AgsOrSlugTaken: "the AGS or slug exists already" / "den AGS oder den Slug gibt es bereits";
    AgsTaken: "the AGS exists already" / "den AGS gibt es bereits";
    NoSuchRegistration: "no such registration" / "keine solche Anmeldung";
    ProgrammeNotFound: "no such programme" / "kein solches Programm";
    NoSuchPost: "no such post" / "kein solcher Beitrag";
    NoSuchPortal: "no such portal" / "kein solches Portal";
    NoSuchParticipation: "no such participation" / "keine solche Teilnahme";
    MunicipalityNotFound: "no such municipality" / "keine solche Kommune";
    NoSuchMunicipalityOrIndicator: "no such municipality or indicator" / "keine solche Kommune oder kein solcher Indikator";
    IndicatorNotFound: "no such indicator" / "kein solcher Indikator";
    NoSuchChartFile: "no such file; ask for /municipalities/{ags}/indicators/{code}.svg" / "keine solche Datei; fragen Sie nach /municipalities/{ags}/indicators/{code}.svg";
    NoSuchCalendarFile: "no such file; ask for /events/{slug}.ics" / "keine solche Datei; fragen Sie nach /events/{slug}.ics";
    CertificateNeedsAttendance: "a certificate needs the organisers to record the attendance first" / "eine Teilnahmebescheinigung setzt voraus, dass die Veranstaltenden die Teilnahme erfasst haben";
    NoSuchPersonalCalendar: "no such calendar: the address is wrong or was reset" / "kein solcher Kalender: die Adresse ist falsch oder wurde erneuert";
    NoSuchCollection: "no such collection" / "keine solche Sammlung";
    NoSuchAgreement: "no such agreement" / "keine solche Vereinbarung";
    PortalSlugTaken: "another portal has this slug" / "ein anderes Portal hat diesen Slug";
    ForumSlugTaken: "another forum has this slug" / "ein anderes Forum hat diesen Slug";
    NoSuchPractice: "no such good practice" / "kein solches Praxisbeispiel";
    EventSlugIsTaken: "the slug \"{slug}\" is taken by another event" / "der Slug „{slug}“ ist an eine andere Veranstaltung vergeben";
    ProgrammeSlugIsTaken: "the slug \"{slug}\" is taken by another programme" / "der Slug „{slug}“ ist an ein anderes Programm vergeben";
    AgencySlugIsTaken: "the slug \"{slug}\" is taken by another agency" / "der Slug „{slug}“ ist an eine andere Einrichtung vergeben";
    PracticeSlugIsTaken: "the slug \"{slug}\" is taken by another practice" / "der Slug „{slug}“ ist an ein anderes Praxisbeispiel vergeben";
    MunicipalitySlugIsTaken: "the slug \"{slug}\" is taken; give another slug in input.slug" / "der Slug „{slug}“ ist vergeben; geben Sie in input.slug einen anderen an";
    AgsExists: "a municipality with the AGS {ags} exists already" / "eine Kommune mit dem AGS {ags} gibt es bereits";
    TakesPartAlready: "{municipality} takes part in {programme} already" / "{municipality} nimmt bereits an {programme} teil";
    ExternalIdExists: "the agency has a practice with the external id \"{external_id}\" already" / "die Einrichtung hat bereits ein Praxisbeispiel mit der externen ID „{external_id}“";
    VersionConflict: "{noun} was changed meanwhile: it is at version {current}, not {expected}; reload and apply your change again" / "{noun} wurde inzwischen geändert: es ist bei Version {current}, nicht {expected}; laden Sie neu und wenden Sie Ihre Änderung noch einmal an";
    StatusCannotBecome: "a {current} practice cannot become {wanted}" / "ein Praxisbeispiel mit dem Status {current} kann nicht {wanted} werden";
    NounPractice: "the practice" / "das Praxisbeispiel";
    NounEvent: "the event" / "die Veranstaltung";
    NounPortal: "the portal" / "das Portal";
    AgsLengthPlace: "the key of a {kind} has exactly {length} digits (got \"{ags}\")" / "der Schlüssel eines Gebiets der Art {kind} hat genau {length} Ziffern (erhalten: \"{ags}\")";
    WithinDigits: "within takes the first digits of an AGS: 1 to 9 digits (got \"{within}\")" / "within nimmt die ersten Ziffern eines AGS: 1 bis 9 Ziffern (erhalten: \"{within}\")";
    SuccessorItself: "a place or organisation cannot succeed itself" / "ein Gebiet oder eine Organisation kann nicht sich selbst nachfolgen";
    SuccessionReasonForPlaces: "places change by MERGED, SPLIT, RENAMED or REKEYED" / "Gebiete ändern sich durch MERGED, SPLIT, RENAMED oder REKEYED";
    SuccessionReasonForOrganisations: "organisations change by RENAMED, MERGED or SUCCEEDED" / "Organisationen ändern sich durch RENAMED, MERGED oder SUCCEEDED";
    SuccessionEmpty: "name at least one place on each side" / "nennen Sie auf jeder Seite mindestens ein Gebiet";
    SuccessionExists: "this succession is recorded already" / "diese Nachfolge ist bereits erfasst";
    DirectoryLine: "line {line}: {reason}" / "Zeile {line}: {reason}";
    DirectoryRecordType: "unknown record type \"{kind}\" (10, 20, 30, 40, 50 or 60)" / "unbekannte Satzart \"{kind}\" (10, 20, 30, 40, 50 oder 60)";
    DirectoryShortLine: "the record is {length} characters long; a record of type {kind} has at least {needed}" / "der Satz ist {length} Zeichen lang; ein Satz der Art {kind} hat mindestens {needed}";
    DirectoryBadDate: "the Gebietsstand \"{date}\" is not a date (YYYYMMDD)" / "der Gebietsstand \"{date}\" ist kein Datum (JJJJMMTT)";
    DirectoryBadKey: "the regional key \"{key}\" is not all digits" / "der Regionalschlüssel \"{key}\" besteht nicht nur aus Ziffern";
    DirectoryBadNumber: "{what} \"{value}\" is not a whole number" / "{what} \"{value}\" ist keine ganze Zahl";
    DirectoryNoName: "the record has no name" / "der Satz hat keinen Namen";
    DirectoryMixedDates: "the file mixes Gebietsstand {first} and {other}" / "die Datei mischt den Gebietsstand {first} und {other}";
    NoFileSent: "no file came with the request: send it as multipart/form-data with the file as a part" / "mit der Anfrage kam keine Datei: senden Sie sie als multipart/form-data mit der Datei als Teil";
    DirectoryEmpty: "the file holds no records" / "die Datei enthält keine Sätze";
    DirectoryNotUtf8: "the file is not UTF-8 text" / "die Datei ist kein UTF-8-Text";
    DirectoryDuplicate: "the key {key} was given already on line {first}" / "der Schlüssel {key} stand bereits in Zeile {first}";
    SyncRetiredAgs: "the AGS {ags} is retired ({name}); the practice is linked to its successor {successor}" / "der AGS {ags} ist nicht mehr gültig ({name}); das Praxisbeispiel wird mit dem Nachfolger {successor} verknüpft";
    NoSuchWebhook: "no such webhook" / "kein solcher Webhook";
    NoSuchWebhookDelivery: "no such webhook delivery" / "keine solche Webhook-Zustellung";
    WebhookBadUrl: "{field} must be an absolute URL without user name, password or fragment" / "{field} muss eine absolute URL ohne Benutzername, Passwort und Fragment sein";
    WebhookNeedsHttps: "{field} must be an https URL (plain http only to the hosts the operator allows)" / "{field} muss eine https-URL sein (einfaches http nur zu den Hosts, die der Betrieb erlaubt)";
    WebhookPrivateAddress: "{field} leads to {address}, a private, loopback or link-local address; webhooks go to public addresses only" / "{field} führt zu {address}, einer privaten, Loopback- oder Link-Local-Adresse; Webhooks gehen nur an öffentliche Adressen";
    WebhookNoEvents: "{field} must name at least one event" / "{field} muss mindestens ein Ereignis nennen";
    WebhookTooMany: "an agency has at most {max} webhooks" / "eine Einrichtung hat höchstens {max} Webhooks";
    WebhookStillPending: "the delivery is still pending: it goes out by itself" / "die Zustellung steht noch aus: sie geht von selbst hinaus";
    NoSuchAttachment: "no such attachment" / "kein solcher Anhang";
    AttachmentTypeRefused: "{field}: this type of file is not accepted; accepted are PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV and plain text" / "{field}: Dateien dieser Art werden nicht angenommen; angenommen werden PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV und reiner Text";
    AttachmentTooLarge: "{field} is larger than {max} MiB" / "{field} ist größer als {max} MiB";
    AttachmentTargetKind: "{field} must be the id of a good practice, a training event or a forum post" / "{field} muss die ID eines Praxisbeispiels, einer Veranstaltung oder eines Forumsbeitrags sein";
    StorageQuotaExceeded: "the agency's storage of {max} MiB is full ({used} MiB in use)" / "der Speicher der Einrichtung von {max} MiB ist voll ({used} MiB belegt)";
    NeedsPostAuthorOrModerator: "only the post's author and moderators may do this" / "das dürfen nur die Autorin oder der Autor des Beitrags und Moderierende";
}

#[cfg(test)]
mod tests;
