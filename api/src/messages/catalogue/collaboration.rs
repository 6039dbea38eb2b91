//! The entries of the collaborative areas: accompaniment and documents. Handed to `catalogue!` with the
//! other entries (one enum, one table), kept here so that each file stays readable.

/// Calls `catalogue!` with the entries given and the collaborative areas' entries.
macro_rules! with_collaboration_entries {
    ($($given:tt)*) => {
        catalogue! {
            $($given)*
            // Accompaniment (issue 32).
            RoleNeedsMunicipality: "{role} is held for a municipality: give municipalityAgs" / "{role} gilt für eine Kommune: geben Sie municipalityAgs an";
            RoleIsNotMunicipal: "{role} is not held for a municipality" / "{role} gilt nicht für eine Kommune";
            NeedsAccompanyingAgencyAdmin: "only an administrator, or an AGENCY_ADMIN of an agency with a Zielvereinbarung with the municipality, grants this" / "nur die Plattformverwaltung oder AGENCY_ADMINs einer Einrichtung mit einer Zielvereinbarung mit der Kommune vergeben dies";
            NeedsAccompaniment: "only those who take part in the accompaniment may do this" / "nur wer an der Begleitung beteiligt ist, darf das";
            NeedsAccompanyingAgency: "only the accompanying agency's staff may do this" / "nur die begleitende Einrichtung darf das";
            NoSuchGoal: "no such goal" / "kein solches Ziel";
            GoalNotOfAgreement: "{field}: the goal belongs to another agreement" / "{field}: das Ziel gehört zu einer anderen Vereinbarung";
            GoalDropped: "the goal was dropped; it stays in the record unchanged" / "das Ziel wurde aufgegeben; es bleibt unverändert im Protokoll";
            GoalTwice: "{field}: the goal {goal} is named twice" / "{field}: das Ziel {goal} ist doppelt genannt";
            TargetYearBeforeBaseline: "{field} must not be before the baseline year" / "{field} darf nicht vor dem Basisjahr liegen";
            AgreementConcluded: "the accompaniment is concluded; nothing more is added" / "die Begleitung ist abgeschlossen; es wird nichts mehr ergänzt";
            NoMunicipalityParty: "the agreement has no municipality party" / "die Vereinbarung hat keine Kommune als Partei";
            ParticipantNotInvolved: "{field}: the member takes no part in the accompaniment" / "{field}: das Mitglied ist an der Begleitung nicht beteiligt";
            NoSuchEventForActivity: "{field}: no such training event" / "{field}: keine solche Veranstaltung";
            AtLeastOneGoal: "{field} must name at least one goal" / "{field} muss mindestens ein Ziel nennen";
            NoProgress: "no indicator is tied to the goal" / "dem Ziel ist kein Indikator zugeordnet";
            NoBaselineValue: "there is no value for the baseline year {year}" / "für das Basisjahr {year} liegt kein Wert vor";
            NoLaterValue: "there is no value after the baseline year yet" / "nach dem Basisjahr liegt noch kein Wert vor";
            NoTarget: "the goal has no target value or baseline year" / "dem Ziel fehlt ein Zielwert oder ein Basisjahr";
            TargetIsBaseline: "the target value equals the baseline value" / "der Zielwert entspricht dem Ausgangswert";
            // Documents (issue 31).
            NoSuchAttachment: "no such attachment" / "kein solcher Anhang";
            AttachmentTypeRefused: "{field}: this type of file is not accepted; accepted are PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV and plain text" / "{field}: Dateien dieser Art werden nicht angenommen; angenommen werden PDF, PNG, JPEG, WebP, DOCX, XLSX, PPTX, ODT, ODS, ODP, CSV und reiner Text";
            AttachmentTooLarge: "{field} is larger than {max} MiB" / "{field} ist größer als {max} MiB";
            AttachmentTargetKind: "{field} must be the id of a good practice, a training event or a forum post" / "{field} muss die ID eines Praxisbeispiels, einer Veranstaltung oder eines Forumsbeitrags sein";
            StorageQuotaExceeded: "the agency's storage of {max} MiB is full ({used} MiB in use)" / "der Speicher der Einrichtung von {max} MiB ist voll ({used} MiB belegt)";
            NeedsPostAuthorOrModerator: "only the post's author and moderators may do this" / "das dürfen nur die Autorin oder der Autor des Beitrags und Moderierende";
        }
    };
}
