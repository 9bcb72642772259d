// What a resident fills in on the kiosk, before it is checked, sealed and queued. The UI owns
// these while a form is open; submit::Submitter turns one into a sealed outbox item.
#pragma once

#include <string>
#include <vector>

namespace kiosk::submit {

enum class Kind { report, rating, consultation };
const char* kind_name(Kind k);  // "report", "rating", "consultation"

struct ReportDraft {
    std::string category;     // a report category id from the bundle
    std::string target_id;    // a rating target id (township / office / window) from the bundle,
    std::string target_text;  // or who / which office in the person's own words (either may be empty)
    std::string what;         // what happened, at most kMaxReportChars characters
    std::string when;         // optional: "2026-11-20", "上午" ... as the person gave it
    bool real_name = false;
    std::string name, phone, id_number;  // real name only; id_number optional
};

struct RatingDraft {
    std::string target_id;             // a window (or office) id from the bundle's rating targets
    int level = 0;                     // 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
    std::vector<std::string> reasons;  // for levels 1-3: "attitude" "efficiency" "fees" "openness" "other"
    std::string comment;               // optional, at most kMaxCommentChars characters
};

struct ConsultationDraft {
    std::string question;  // at most kMaxReportChars characters
    std::string phone;     // optional, for a callback
};

inline constexpr size_t kMaxReportChars = 2000;
inline constexpr size_t kMaxCommentChars = 500;
inline constexpr size_t kMaxNameChars = 30;

}  // namespace kiosk::submit
