// Benchmark: FTS5 + kiosk_cjk search against a plain instr() scan over synthetic Chinese documents.
//
// Usage: bench_search [--docs N] [--queries N] [--seed N]
// Builds N documents (default 10,000) into a temporary bundle-like SQLite file, reopens it
// read-only as the kiosk does, and times search() and search_by_scan() on the same queries.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "store/search.hpp"
#include "store/sqlite.hpp"
#include "text/cjk_tokenizer.hpp"

namespace {

using kiosk::store::Database;
using Clock = std::chrono::steady_clock;

// splitmix64: deterministic everywhere, unlike std::uniform_int_distribution.
struct Rng {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return static_cast<size_t>(next() % n); }
    size_t between(size_t lo, size_t hi) { return lo + below(hi - lo + 1); }
};

// Words and phrases of family-planning and birth-registration notices.
const std::vector<std::string> kWords = {
    "审批",       "生育",         "登记",   "证明",     "社会抚养费", "办理",     "乡镇",
    "服务站",     "计划生育",     "卫生",   "健康",     "委员会",     "申请",     "材料",
    "身份证",     "户口簿",       "结婚证", "离婚",     "子女",       "夫妻",     "双方",
    "再生育",     "一孩",         "二孩",   "三孩",     "出生",       "医学证明", "医院",
    "妇幼保健",   "孕妇",         "孕期",   "产前",     "检查",       "保健",     "手册",
    "母婴",       "新生儿",       "疫苗",   "接种",     "流动人口",   "婚育证明", "户籍",
    "所在地",     "现居住地",     "街道",   "社区",     "村委会",     "居委会",   "县级",
    "市级",       "省级",         "部门",   "窗口",     "受理",       "审核",     "批准",
    "不予",       "决定",         "书面",   "告知",     "时限",       "工作日",   "之内",
    "之日起",     "规定",         "条例",   "办法",     "通知",       "公告",     "政策",
    "解读",       "咨询",         "电话",   "热线",     "投诉",       "举报",     "监督",
    "费用",       "减免",         "征收",   "标准",     "缴纳",       "滞纳金",   "奖励",
    "扶助",       "特别",         "家庭",   "独生子女", "父母",       "光荣证",   "领取",
    "发放",       "补贴",         "津贴",   "养老",     "保险",       "医疗",     "报销",
    "比例",       "个人",         "单位",   "职工",     "产假",       "陪产假",   "育儿假",
    "哺乳",       "工资",         "待遇",   "落实",     "保障",       "权益",     "合法",
    "依法",       "违法",         "处理",   "处罚",     "行政",       "复议",     "诉讼",
    "期限",       "届满",         "逾期",   "未",       "按时",       "提交",     "复印件",
    "原件",       "核对",         "签字",   "盖章",     "填写",       "表格",     "网上",
    "在线",       "平台",         "预约",   "现场",     "当场",       "一次性",   "告知书",
    "承诺制",     "信息",         "共享",   "查询",     "系统",       "数据",     "统计",
    "人口",       "出生率",       "服务",   "指南",     "流程",       "条件",     "对象",
    "范围",       "依据",         "程序",   "步骤",     "结果",       "送达",     "邮寄",
    "自取",       "有效期",       "变更",   "注销",     "补办",       "遗失",     "声明",
    "情况",       "说明",         "核实",   "调查",     "走访",       "公示",     "异议",
    "期间",       "无",           "有",     "的",       "和",         "或",       "及",
    "在",         "由",           "向",     "按照",     "根据",       "应当",     "可以",
    "需要",       "不得",         "必须",   "办事",     "群众",       "便民",     "少跑腿",
    "最多跑一次", "帮办",         "代办",   "上门",     "残疾",       "病残儿",   "鉴定",
    "医学",       "技术",         "避孕",   "节育",     "手术",       "并发症",   "免费",
    "药具",       "发放点",       "宣传",   "教育",     "优生",       "优育",     "婚前",
    "孕前",       "优生健康检查", "叶酸",   "增补",     "出生缺陷",   "筛查",     "新生儿疾病",
    "听力",       "托育",         "机构",   "备案",     "婴幼儿",     "照护",     "家庭发展",
    "幸福",       "关爱",         "留守",   "儿童",     "老人",       "计生",     "协会",
    "志愿者",     "网格员",       "档案",   "管理",     "归档",       "保存",     "年度",
    "考核"};

// Latin, digits and mixed terms that real notices contain.
const std::vector<std::string> kMixed = {"12356", "B超", "CT",  "HIV",  "2023年",  "12345",
                                         "第3条", "APP", "4周", "18岁", "B超检查", "拨打12356"};

size_t code_points(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

std::string first_code_points(const std::string& s, size_t count) {
    size_t pos = 0;
    for (size_t n = 0; pos < s.size() && n < count; ++n) {
        ++pos;
        while (pos < s.size() && (static_cast<unsigned char>(s[pos]) & 0xC0) == 0x80)
            ++pos;
    }
    return s.substr(0, pos);
}

std::string make_title(Rng& rng) {
    size_t target = rng.between(8, 20);
    std::string title;
    while (code_points(title) < target)
        title += kWords[rng.below(kWords.size())];
    return first_code_points(title, 20);
}

std::string make_body(Rng& rng) {
    size_t target = rng.between(300, 2000);
    std::string body;
    size_t length = 0;
    while (length < target) {
        size_t words = rng.between(3, 10);
        for (size_t i = 0; i < words; ++i) {
            const std::string& w = rng.below(25) == 0 ? kMixed[rng.below(kMixed.size())]
                                                      : kWords[rng.below(kWords.size())];
            body += w;
            length += code_points(w);
        }
        body += rng.below(3) == 0 ? "。" : "，";
        length += 1;
        if (rng.below(12) == 0) body += "\n";
    }
    return body;
}

// A `length`-character Han query cut from a random vocabulary word or pair of adjacent words.
std::string make_query(Rng& rng, size_t length) {
    for (;;) {
        std::string s = kWords[rng.below(kWords.size())];
        if (length > 2) s += kWords[rng.below(kWords.size())];
        size_t n = code_points(s);
        if (n < length) continue;
        size_t skip = rng.below(n - length + 1);
        std::string tail = s.substr(first_code_points(s, skip).size());
        return first_code_points(tail, length);
    }
}

struct Stats {
    double p50 = 0;
    double p99 = 0;
    double mean_hits = 0;
};

// Nearest-rank percentiles of per-query milliseconds.
Stats measure(Database& db, const std::vector<std::string>& queries, bool scan) {
    std::vector<double> ms;
    size_t hits = 0;
    for (const std::string& q : queries) {
        auto start = Clock::now();
        auto result = scan ? kiosk::store::search_by_scan(db, q) : kiosk::store::search(db, q);
        auto stop = Clock::now();
        if (!result) {
            std::fprintf(stderr, "query %s failed: %s\n", q.c_str(),
                         result.error().message.c_str());
            std::exit(1);
        }
        hits += result->size();
        ms.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
    }
    std::sort(ms.begin(), ms.end());
    auto rank = [&](double p) {
        size_t i = static_cast<size_t>(p * static_cast<double>(ms.size()) + 0.999999);
        return ms[std::min(ms.size(), std::max<size_t>(i, 1)) - 1];
    };
    return Stats{rank(0.50), rank(0.99), static_cast<double>(hits) / queries.size()};
}

// Every match, not just the first page: the index and the scan must find the same documents.
bool same_documents(Database& db, const std::string& q) {
    kiosk::store::SearchOptions all{1000000, 0};
    auto a = kiosk::store::search(db, q, all);
    auto b = kiosk::store::search_by_scan(db, q, all);
    if (!a || !b) return false;
    std::set<std::string> ids_a, ids_b;
    for (const auto& h : *a)
        ids_a.insert(h.doc_id);
    for (const auto& h : *b)
        ids_b.insert(h.doc_id);
    return ids_a == ids_b;
}

void fail(const char* what, const kiosk::Error& e) {
    std::fprintf(stderr, "%s: %s\n", what, e.message.c_str());
    std::exit(1);
}

}  // namespace

int main(int argc, char** argv) {
    size_t docs = 10000;
    size_t per_class = 200;
    uint64_t seed = 20240601;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--docs") == 0) docs = std::strtoull(argv[i + 1], nullptr, 10);
        if (std::strcmp(argv[i], "--queries") == 0) {
            per_class = std::strtoull(argv[i + 1], nullptr, 10);
        }
        if (std::strcmp(argv[i], "--seed") == 0) seed = std::strtoull(argv[i + 1], nullptr, 10);
    }
    if (docs == 0 || per_class == 0) {
        std::fprintf(stderr, "usage: bench_search [--docs N] [--queries N] [--seed N]\n");
        return 2;
    }
    namespace fs = std::filesystem;
    fs::path path =
        fs::temp_directory_path() / ("kiosk_bench_search_" + std::to_string(::getpid()) + ".db");
    struct Remove {
        fs::path p;
        ~Remove() { fs::remove(p); }
    } cleanup{path};

    Rng rng{seed};
    double build_seconds = 0;
    {
        auto db = Database::open(path.string(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
        if (!db) fail("open", db.error());
        if (auto s = kiosk::text::register_cjk_tokenizer(db->handle()); !s)
            fail("register", s.error());
        if (auto s = db->exec("CREATE TABLE documents(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL "
                              "UNIQUE, kind TEXT NOT NULL, category TEXT NOT NULL, title TEXT NOT "
                              "NULL, summary TEXT NOT NULL, body TEXT NOT NULL, fields TEXT NOT "
                              "NULL, sort INTEGER NOT NULL DEFAULT 0)");
            !s) {
            fail("schema", s.error());
        }
        if (auto s = kiosk::store::create_search_index(*db); !s) fail("schema", s.error());
        auto insert = db->prepare("INSERT INTO documents(rowid, id, kind, category, title, "
                                  "summary, body, fields, sort) VALUES (?1, ?2, 'guide', 'birth', "
                                  "?3, '', ?4, '{}', ?1)");
        if (!insert) fail("prepare", insert.error());
        auto start = Clock::now();
        if (auto s = db->exec("BEGIN"); !s) fail("begin", s.error());
        for (size_t i = 1; i <= docs; ++i) {
            std::string title = make_title(rng);
            std::string body = make_body(rng);
            auto rowid = static_cast<int64_t>(i);
            insert->reset();
            insert->bind(1, rowid).bind(2, "doc-" + std::to_string(i)).bind(3, title).bind(4, body);
            if (auto s = insert->run(); !s) fail("insert", s.error());
            if (auto s = kiosk::store::index_document(*db, rowid, title, body); !s) {
                fail("index", s.error());
            }
        }
        if (auto s = db->exec("COMMIT"); !s) fail("commit", s.error());
        if (auto s = kiosk::store::optimize_search_index(*db); !s) fail("optimize", s.error());
        build_seconds = std::chrono::duration<double>(Clock::now() - start).count();
        // As a bundle builder would: optimize leaves the old segments' pages free.
        if (auto s = db->exec("VACUUM"); !s) fail("vacuum", s.error());
    }
    auto file_bytes = fs::file_size(path);

    // As the kiosk opens a bundle: read-only, tokenizer registered on this connection.
    auto db = Database::open("file:" + path.string() + "?mode=ro", SQLITE_OPEN_READONLY);
    if (!db) fail("open read-only", db.error());
    if (auto s = kiosk::text::register_cjk_tokenizer(db->handle()); !s) fail("register", s.error());
    // dbstat is optional in SQLite builds; without it only the file size is printed.
    auto table_bytes = [&](const char* pattern) -> int64_t {
        auto stmt = db->prepare("SELECT sum(pgsize) FROM dbstat WHERE name LIKE ?1");
        if (!stmt) return -1;
        stmt->bind(1, std::string_view(pattern));
        return stmt->step() ? stmt->integer(0) : -1;
    };
    int64_t postings = table_bytes("search_index_data%");
    int64_t plain_text = table_bytes("search_index_content%");
    int64_t documents = table_bytes("documents%");

    std::printf(
        "documents: %zu  build (insert + index + optimize): %.2f s  file after VACUUM: %.1f MB",
        docs, build_seconds, static_cast<double>(file_bytes) / 1e6);
    if (postings >= 0) {
        std::printf("  (postings %.1f MB, indexed plain text %.1f MB, documents table %.1f MB)",
                    static_cast<double>(postings) / 1e6, static_cast<double>(plain_text) / 1e6,
                    static_cast<double>(documents) / 1e6);
    }
    std::printf("\nqueries per class: %zu, limit 50, snippets included\n", per_class);

    struct QueryClass {
        const char* name;
        std::vector<std::string> queries;
    };
    std::vector<QueryClass> classes = {
        {"1-char", {}}, {"2-char", {}}, {"4-char", {}}, {"mixed", {}}};
    for (size_t i = 0; i < per_class; ++i) {
        classes[0].queries.push_back(make_query(rng, 1));
        classes[1].queries.push_back(make_query(rng, 2));
        classes[2].queries.push_back(make_query(rng, 4));
        classes[3].queries.push_back(kMixed[rng.below(kMixed.size())]);
    }
    (void)measure(*db, classes[1].queries, false);  // warm the page cache

    double worst_p99 = 0;
    for (const QueryClass& c : classes) {
        Stats fts = measure(*db, c.queries, false);
        Stats scan = measure(*db, c.queries, true);
        worst_p99 = std::max(worst_p99, fts.p99);
        std::printf("search %-7s p50 %6.2f ms p99 %6.2f ms  scan: p50 %7.1f ms p99 %7.1f ms  "
                    "ratio %4.0fx  (hits returned %.0f)\n",
                    (c.name + std::string(":")).c_str(), fts.p50, fts.p99, scan.p50, scan.p99,
                    scan.p50 / std::max(fts.p50, 1e-6), fts.mean_hits);
    }

    // Chinese queries only: the scan matches Latin as substrings, the index as words.
    size_t agree = 0;
    size_t checked = 0;
    for (size_t c = 0; c < 3; ++c) {
        for (size_t i = 0; i < std::min<size_t>(10, per_class); ++i, ++checked) {
            agree += same_documents(*db, classes[c].queries[i]);
        }
    }
    std::printf("index and scan agree on all matches: %zu/%zu Chinese queries\n", agree, checked);
    std::printf("goal p99 <= 10 ms: %s (worst p99 %.2f ms)\n", worst_p99 <= 10.0 ? "met" : "MISSED",
                worst_p99);
    return agree == checked ? 0 : 1;
}
