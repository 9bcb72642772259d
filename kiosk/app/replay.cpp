// Parses replay scripts: verbs with a quoted string or numbers, strict about what each takes.
#include "replay.hpp"

#include <cstdlib>
#include <sstream>

namespace kiosk::app {

namespace {

// Reads a "quoted string" with \" and \\ escapes starting at s[i] == '"'.
bool read_quoted(const std::string& s, size_t& i, std::string& out) {
    ++i;
    while (i < s.size()) {
        char c = s[i++];
        if (c == '\\' && i < s.size())
            out += s[i++];
        else if (c == '"')
            return true;
        else
            out += c;
    }
    return false;
}

}  // namespace

Result<std::vector<Command>> parse_script(const std::string& text, const std::string& file) {
    std::vector<Command> out;
    std::istringstream in(text);
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        size_t i = line.find_first_not_of(" \t");
        if (i == std::string::npos || line[i] == '#') continue;
        auto fail = [&](const std::string& why) {
            return make_error("script", file + ":" + std::to_string(n) + ": " + why);
        };
        Command c;
        c.line = n;
        size_t end = line.find_first_of(" \t", i);
        c.verb = line.substr(i, end == std::string::npos ? std::string::npos : end - i);
        i = end == std::string::npos ? line.size() : end;
        bool quoted = false;
        while (i < line.size()) {
            if (line[i] == ' ' || line[i] == '\t') {
                ++i;
            } else if (line[i] == '"') {
                const bool two = c.verb == "expect-text-in" || c.verb == "expect-no-text-in";
                if (quoted && two && c.text2.empty()) {
                    if (!read_quoted(line, i, c.text2) || c.text2.empty())
                        return fail("bad second \"quoted\" argument");
                } else if (quoted || !read_quoted(line, i, c.text)) {
                    return fail("bad or repeated \"quoted\" argument");
                }
                quoted = true;
            } else {
                size_t e = line.find_first_of(" \t", i);
                std::string word =
                    line.substr(i, e == std::string::npos ? std::string::npos : e - i);
                char* stop = nullptr;
                double v = std::strtod(word.c_str(), &stop);
                if (*stop == '\0')
                    c.numbers.push_back(v);
                else if (c.text.empty() && !quoted)
                    c.text = word, quoted = true;
                else
                    return fail("unexpected '" + word + "'");
                i = e == std::string::npos ? line.size() : e;
            }
        }
        const auto nums = c.numbers.size();
        const std::string& v = c.verb;
        bool ok = (v == "tap" && ((quoted && nums == 0) || (!quoted && nums == 2))) ||
                  (v == "drag" && !quoted && nums == 5) || (v == "keys" && quoted && nums == 0) ||
                  (v == "pinyin" && quoted && nums == 1) || (v == "wait" && !quoted && nums == 1) ||
                  (v == "idle" && !quoted && nums == 1) || (v == "shot" && quoted && nums == 0) ||
                  (v == "expect-screen" && quoted && nums == 0) ||
                  (v == "expect-text" && quoted && nums == 0) ||
                  (v == "expect-no-text" && quoted && nums == 0) ||
                  ((v == "expect-text-in" || v == "expect-no-text-in") && !c.text2.empty() &&
                   nums == 0) ||
                  (v == "monkey" && !quoted && nums == 3) || (v == "run" && quoted && nums == 0) ||
                  (v == "stroke" && !quoted && nums >= 4 && nums % 2 == 0) ||
                  (v == "pick" && !quoted && nums == 1);
        if (!ok) {
            return fail("cannot read '" + line.substr(line.find_first_not_of(" \t")) +
                        "' (tap \"label\" | tap X Y | drag X1 Y1 X2 Y2 MS | keys \"abc\" | "
                        "pinyin \"shenpi\" N | wait MS | idle S | shot NAME | expect-screen NAME | "
                        "expect-text \"text\" | expect-no-text \"text\" | expect-text-in "
                        "\"target\" \"text\" | "
                        "expect-no-text-in \"target\" \"text\" | monkey SECONDS RATE SEED "
                        "| run \"command\" | stroke X1 Y1 X2 Y2 ... | pick N)");
        }
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace kiosk::app
