//! zxcvbn's feedback on a weak password as catalogue messages: the crate's own texts are
//! English only, so each of its warnings and suggestions has its entry in the catalogue.

use zxcvbn::feedback::{Feedback, Suggestion, Warning};

use super::{Message, MessageKey};

/// Why a password is too easy to guess, and what would help, in the words of the catalogue.
pub fn password_feedback(feedback: Option<&Feedback>) -> Message {
    let problem = match feedback.and_then(Feedback::warning) {
        Some(warning) => {
            Message::new(MessageKey::PasswordGuessableBecause).with_messages("warning", vec![warning_message(warning)])
        }
        None => Message::new(MessageKey::PasswordGuessable),
    };
    let mut suggestions: Vec<Message> = feedback
        .map(|feedback| feedback.suggestions().iter().map(|s| suggestion_message(*s)).collect())
        .unwrap_or_default();
    // Point to passphrases unless the advice already speaks of words.
    let english: Vec<String> = suggestions.iter().map(ToString::to_string).collect();
    if !problem.to_string().contains("word") && !english.iter().any(|text| text.contains("word")) {
        suggestions.push(Message::new(MessageKey::PasswordUseWords));
    }
    if suggestions.is_empty() {
        return problem;
    }
    Message::new(MessageKey::PasswordAdvice)
        .with_messages("problem", vec![problem])
        .with_messages("suggestions", suggestions)
}

fn warning_message(warning: Warning) -> Message {
    Message::new(match warning {
        Warning::StraightRowsOfKeysAreEasyToGuess => MessageKey::WarnStraightRows,
        Warning::ShortKeyboardPatternsAreEasyToGuess => MessageKey::WarnShortKeyboardPatterns,
        Warning::RepeatsLikeAaaAreEasyToGuess => MessageKey::WarnRepeats,
        Warning::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => MessageKey::WarnRepeatedGroups,
        Warning::ThisIsATop10Password => MessageKey::WarnTop10,
        Warning::ThisIsATop100Password => MessageKey::WarnTop100,
        Warning::ThisIsACommonPassword => MessageKey::WarnCommon,
        Warning::ThisIsSimilarToACommonlyUsedPassword => MessageKey::WarnSimilarToCommon,
        Warning::SequencesLikeAbcAreEasyToGuess => MessageKey::WarnSequences,
        Warning::RecentYearsAreEasyToGuess => MessageKey::WarnRecentYears,
        Warning::AWordByItselfIsEasyToGuess => MessageKey::WarnSingleWord,
        Warning::DatesAreOftenEasyToGuess => MessageKey::WarnDates,
        Warning::NamesAndSurnamesByThemselvesAreEasyToGuess => MessageKey::WarnNames,
        Warning::CommonNamesAndSurnamesAreEasyToGuess => MessageKey::WarnCommonNames,
    })
}

fn suggestion_message(suggestion: Suggestion) -> Message {
    Message::new(match suggestion {
        Suggestion::UseAFewWordsAvoidCommonPhrases => MessageKey::SuggestFewWords,
        Suggestion::NoNeedForSymbolsDigitsOrUppercaseLetters => MessageKey::SuggestNoSymbolsNeeded,
        Suggestion::AddAnotherWordOrTwo => MessageKey::SuggestAnotherWord,
        Suggestion::CapitalizationDoesntHelpVeryMuch => MessageKey::SuggestCapitalization,
        Suggestion::AllUppercaseIsAlmostAsEasyToGuessAsAllLowercase => MessageKey::SuggestAllUppercase,
        Suggestion::ReversedWordsArentMuchHarderToGuess => MessageKey::SuggestReversedWords,
        Suggestion::PredictableSubstitutionsDontHelpVeryMuch => MessageKey::SuggestSubstitutions,
        Suggestion::UseALongerKeyboardPatternWithMoreTurns => MessageKey::SuggestLongerKeyboardPattern,
        Suggestion::AvoidRepeatedWordsAndCharacters => MessageKey::SuggestAvoidRepeats,
        Suggestion::AvoidSequences => MessageKey::SuggestAvoidSequences,
        Suggestion::AvoidRecentYears => MessageKey::SuggestAvoidRecentYears,
        Suggestion::AvoidYearsThatAreAssociatedWithYou => MessageKey::SuggestAvoidYears,
        Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou => MessageKey::SuggestAvoidDates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The catalogue's English is zxcvbn's own text, so English advice reads as before.
    #[test]
    fn english_feedback_is_zxcvbns_own_text() {
        for warning in [
            Warning::ThisIsATop10Password,
            Warning::RepeatsLikeAaaAreEasyToGuess,
            Warning::CommonNamesAndSurnamesAreEasyToGuess,
        ] {
            assert_eq!(warning_message(warning).to_string(), warning.to_string());
        }
        for suggestion in [
            Suggestion::AddAnotherWordOrTwo,
            Suggestion::PredictableSubstitutionsDontHelpVeryMuch,
            Suggestion::AvoidDatesAndYearsThatAreAssociatedWithYou,
        ] {
            assert_eq!(suggestion_message(suggestion).to_string(), suggestion.to_string());
        }
    }
}
