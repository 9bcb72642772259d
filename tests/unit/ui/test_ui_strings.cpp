// Every Chinese character in the UI's own string literals is in ui_strings(), so the atlas always
// holds it (a missing one would show as a box).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <vector>

#include "ui/fonts.hpp"

namespace {

std::set<char32_t> code_points(std::string_view s) {
    std::set<char32_t> out;
    for (size_t i = 0; i < s.size();) {
        auto c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
        char32_t cp = len == 1 ? c : c & (0x7F >> len);
        for (size_t k = 1; k < len && i + k < s.size(); ++k)
            cp = (cp << 6) | (s[i + k] & 0x3F);
        out.insert(cp);
        i += len;
    }
    return out;
}

}  // namespace

TEST_CASE("every Chinese character the UI's code draws is in the UI glyph list") {
    const std::set<char32_t> have = code_points(kiosk::ui::ui_strings());
    namespace fs = std::filesystem;
    int files = 0;
    // The UI's own strings, and the sentences the core and the program hand to the forms'
    // screens (validation problems, refusals, look-up answers).
    std::vector<fs::path> paths;
    for (const char* dir : {"/kiosk/ui", "/kiosk/core/submit"}) {
        for (const auto& e : fs::recursive_directory_iterator(std::string(KIOSK_SOURCE_DIR) + dir))
            paths.push_back(e.path());
    }
    paths.push_back(std::string(KIOSK_SOURCE_DIR) + "/kiosk/app/submission_desk.cpp");
    for (const auto& path : paths) {
        const fs::directory_entry e(path);
        if (e.path().extension() != ".cpp" || e.path().filename() == "fonts.cpp") continue;
        // The printed receipt's text goes to the printer, not to the screen.
        if (e.path().filename() == "escpos.cpp") continue;
        ++files;
        std::ifstream in(e.path());
        std::stringstream ss;
        ss << in.rdbuf();
        const std::string src = ss.str();
        // String literals, roughly: text between double quotes on one line.
        for (size_t i = src.find('"'); i != std::string::npos; i = src.find('"', i + 1)) {
            size_t end = src.find('"', i + 1);
            if (end == std::string::npos || src.find('\n', i) < end) continue;
            for (char32_t c : code_points(std::string_view(src).substr(i + 1, end - i - 1))) {
                if (c >= 0x2E80 && !have.count(c)) {
                    FAIL_CHECK("U+" << std::hex << static_cast<unsigned>(c) << " in "
                                    << e.path().filename().string() << " is not in ui_strings()");
                }
            }
            i = end;
        }
    }
    CHECK(files >= 8);
}
