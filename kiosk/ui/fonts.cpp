// Builds the font atlas with FreeType from only the glyphs the bundle and the UI need.
#include "fonts.hpp"

#include <fcntl.h>
#include <imgui_freetype.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

namespace kiosk::ui {

std::string_view ui_strings() {
    return "返回首页大字标准字号阳光公开触摸屏幕开始使用监督举报热线还在吗？秒后回到首页"
           "点击任意位置继续内容正在准备中请稍后再试或拨打县人口计生委咨询电话文件共份新"
           "发布机关日期版本更新有效至已过期内容可能不是最新请以窗口公告为准示例数据"
           "办理条件所需材料流程时限收费依据承办机构地址电话办公时间职责第步页没有找到"
           "相关内容无法显示图片缺失链接的文件不存在上一页下一页向上向下滚动当前位置搜索"
           "分类提：，。刚才查看和填写会被清除暂读取要经撤重选择这自助服务通知政策、事指南表格较宽"
           "拖方左右律　施行（）说明来如帮厅手"
           "输入拼音审批登记空删育证换个词按；也"
           "达面框里完键销笔我评价执进度停受先反映问题型了什么几句就阅确认交匿名实您姓镇单满想乱权"
           "谋私等留待答复凭码结果今天昨近周月早哪涉及楚跳己员某穿蓝衣工作城盘概候同样真调处便于核"
           "情况诉属规定领奖励信息加密保都身对未解立即只负诬陷害担感谢！录每各群众拍边二维印从出纸"
           "走网络恢送成丢非常基态率其他次做得好多差错两颠倒照遍"
           "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
           " .,:;!?()[]{}<>/\\|-_+=*&%$#@~'\"`^，。、；：？！（）《》「」『』【】…—·“”‘’"
           "带符应现头母区代段年校验与逐终端少钥故障别原因列防止钟见储尽快设传断久连状–"
           "\xE3\x80\x80"   // U+3000, the ideographic space
           "\xE2\x96\xA1"   // U+25A1 □, drawn for characters the font lacks
           "\xEF\xBF\xBD";  // U+FFFD, drawn for characters the font lacks
}

namespace {

void use_placeholder(ImFont* font, ImWchar placeholder) {
    const ImFontGlyph* glyph = font->FindGlyphNoFallback(placeholder);
    if (!glyph) return;
    font->FallbackChar = placeholder;
    font->FallbackGlyph = glyph;
    font->FallbackAdvanceX = glyph->AdvanceX;
    for (int c = 0; c < font->IndexLookup.Size; ++c) {
        if (font->IndexLookup[c] == static_cast<ImWchar>(-1))
            font->IndexAdvanceX[c] = glyph->AdvanceX;
    }
}

// A font file mapped read-only for the length of a build.
struct MappedFont {
    void* data = nullptr;
    size_t size = 0;
    MappedFont() = default;
    MappedFont(const MappedFont&) = delete;
    MappedFont& operator=(const MappedFont&) = delete;
    ~MappedFont() {
        if (data) ::munmap(data, size);
    }
    Status open(const std::string& path) {
        int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd < 0) return make_error("font", "font file " + path + " is missing (fonts-noto-cjk)");
        struct stat st {};
        if (::fstat(fd, &st) == 0 && st.st_size > 0 && st.st_size < (1LL << 31)) {
            size = static_cast<size_t>(st.st_size);
            data = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
            if (data == MAP_FAILED) data = nullptr;
        }
        ::close(fd);
        if (!data) return make_error("font", "font file " + path + " cannot be read");
        return {};
    }
};

}  // namespace

Result<FontAtlas> build_font_atlas(const FontFiles& files, std::string_view glyph_text,
                                   std::string_view title_glyph_text, float body_px, float title_px,
                                   float small_px) {
    MappedFont regular, bold;
    if (Status st = regular.open(files.regular); !st) return st.error();
    if (Status st = bold.open(files.bold); !st) return st.error();

    FontAtlas out;
    out.atlas = std::make_unique<ImFontAtlas>();
    ImFontAtlas& atlas = *out.atlas;
    atlas.FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
    atlas.FontBuilderFlags = 0;
    atlas.TexDesiredWidth = 2048;

    // Glyph ranges must live until the build is done; one set per kind of font.
    auto build_ranges = [](std::string_view text, ImVector<ImWchar>& ranges) {
        ImFontGlyphRangesBuilder builder;
        std::string all(text);
        all += ui_strings();
        builder.AddText(all.data(), all.data() + all.size());
        builder.BuildRanges(&ranges);
    };
    ImVector<ImWchar> ranges, title_ranges;
    build_ranges(glyph_text, ranges);
    build_ranges(title_glyph_text, title_ranges);

    auto add = [&](MappedFont& file, float px, const ImVector<ImWchar>& r) -> ImFont* {
        ImFontConfig cfg;
        cfg.FontData = file.data;
        cfg.FontDataSize = static_cast<int>(file.size);
        // ImGui copies font data it does not own (60 MB here, half of the build time), so it is
        // handed over as owned and taken back right after: the mapping is ours, unmapped after
        // the build, and ClearInputData() must not free it.
        cfg.FontDataOwnedByAtlas = true;
        cfg.FontNo = files.face_index;
        cfg.SizePixels = px;
        cfg.GlyphRanges = r.Data;
        cfg.OversampleH = 1;
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        ImFont* font = atlas.AddFont(&cfg);
        if (font) atlas.ConfigData.back().FontDataOwnedByAtlas = false;
        return font;
    };
    Fonts& fonts = out.fonts;
    fonts.body = add(regular, body_px, ranges);
    fonts.title = add(bold, title_px, title_ranges);
    fonts.small = add(regular, small_px, ranges);
    if (!fonts.body || !fonts.title || !fonts.small || !atlas.Build()) {
        return make_error("font", "the font atlas could not be built");
    }
    // The rasterised atlas is all ImGui needs now; the mappings go when this returns.
    atlas.ClearInputData();
    // Noto CJK has no U+FFFD, so ImGui would fall back to '?'. A hollow box is the calmer, usual
    // placeholder for a character that cannot be shown (emoji, rare characters).
    for (ImFont* f : {fonts.body, fonts.title, fonts.small})
        use_placeholder(f, 0x25A1);
    return out;
}

}  // namespace kiosk::ui
