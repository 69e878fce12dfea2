//! The texts of evidence attachments: the reporter's "Attach screenshot or photo" control (report
//! form, follow-up, receipt) and the coordinator's "Evidence" section on the case page. Both
//! languages filled in completely: a key missing in either does not compile. Kept apart from the
//! main tables so only the bundles whose pages show them bring them (never the start bundle).

pub struct EvidenceTexts {
    pub section: &'static str,
    pub none: &'static str,
    pub file: &'static str,
    pub size: &'static str,
    pub received: &'static str,
    pub sha256: &'static str,
    pub view: &'static str,
    pub view_hint: &'static str,
    /// Said instead of the links when the report is assigned to another coordinator.
    pub assignee_only: &'static str,
    pub attach: &'static str,
    pub attach_hint: &'static str,
    pub choose: &'static str,
    pub name_warning: &'static str,
    pub remove: &'static str,
    pub too_many: &'static str,
    pub too_big: &'static str,
    pub heic: &'static str,
    pub unsupported: &'static str,
    pub broken: &'static str,
    pub waiting: &'static str,
    pub all_sent: &'static str,
    pub send_files: &'static str,
    pub sent_ok: &'static str,
    pub failed: &'static str,
}

pub const SV: EvidenceTexts = EvidenceTexts {
    section: "Bevis",
    none: "Inga bifogade filer.",
    file: "Fil",
    size: "Storlek",
    received: "Mottagen",
    sha256: "SHA-256",
    view: "Visa",
    view_hint: "öppnas i en ny flik; varje visning loggas",
    assignee_only: "Rapporten är tilldelad en annan samordnare: bara den som är tilldelad kan öppna filerna.",
    attach: "Bifoga skärmbild eller foto",
    choose: "Välj bilder",
    attach_hint: "Upp till 5 bilder (JPEG, PNG eller WebP), högst 10 MB var. Platsuppgifter och annan information i filen tas bort.",
    name_warning: "Tänk på att en skärmbild kan visa ditt eget namn, konto eller telefonnummer. Beskär den först om du vill vara anonym.",
    remove: "Ta bort",
    too_many: "Högst 5 filer per rapport.",
    too_big: "Filen är större än 10 MB.",
    heic: "HEIC-bilder kan inte tas emot. Ta en skärmbild av bilden, eller dela den som JPEG (på iPhone: Inställningar → Kamera → Format → Mest kompatibelt).",
    unsupported: "Bara bilder i JPEG, PNG eller WebP kan bifogas.",
    broken: "Bilden kunde inte läsas.",
    waiting: "Väntar på att skickas:",
    all_sent: "Alla bifogade filer är skickade.",
    send_files: "Skicka bilderna",
    sent_ok: "Bilderna är skickade.",
    failed: "Kunde inte skickas:",
};

pub const EN: EvidenceTexts = EvidenceTexts {
    section: "Evidence",
    none: "No attached files.",
    file: "File",
    size: "Size",
    received: "Received",
    sha256: "SHA-256",
    view: "View",
    view_hint: "opens in a new tab; every view is logged",
    assignee_only: "The report is assigned to another coordinator: only the assignee can open the files.",
    attach: "Attach screenshot or photo",
    choose: "Choose images",
    attach_hint: "Up to 5 images (JPEG, PNG or WebP), at most 10 MB each. Location data and other information in the file is removed.",
    name_warning: "A screenshot may show your own name, account or phone number. Crop it first if you want to stay anonymous.",
    remove: "Remove",
    too_many: "At most 5 files per report.",
    too_big: "The file is larger than 10 MB.",
    heic: "HEIC images cannot be received. Take a screenshot of the image, or share it as JPEG (on iPhone: Settings → Camera → Formats → Most Compatible).",
    unsupported: "Only JPEG, PNG or WebP images can be attached.",
    broken: "The image could not be read.",
    waiting: "Waiting to be sent:",
    all_sent: "Every attached file is sent.",
    send_files: "Send the images",
    sent_ok: "The images are sent.",
    failed: "Could not be sent:",
};

super::per_language!(EvidenceTexts, SV, EN, evidence_texts, use_evidence_texts);

impl EvidenceTexts {
    /// The message for an upload's refusal code (`heic_not_supported`, `too_many_files`, …).
    pub fn refusal(&self, code: &str) -> &'static str {
        match code {
            "heic_not_supported" => self.heic,
            "unsupported_image" => self.unsupported,
            "payload_too_large" | "image_too_large" => self.too_big,
            "too_many_files" => self.too_many,
            _ => self.broken,
        }
    }
}

/// A byte count for people: `812 kB`, `3.4 MB`.
pub fn size_text(bytes: i64) -> String {
    if bytes < 1_000_000 {
        format!("{} kB", (bytes + 999) / 1000)
    } else {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    }
}
