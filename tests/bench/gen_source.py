#!/usr/bin/env python3
"""Writes a synthetic content source for benchmarks and stress tests.

usage: gen_source.py OUT_DIR --docs N [--asset-mb M] [--seed S]

Documents are plausible Chinese text built from the programme's vocabulary, deterministic for a
seed. --asset-mb adds incompressible PNG-signed images of M MiB in all so bundles reach a given size.
"""
import argparse
import os
import random

WORDS = ("审批 生育 登记 证明 社会抚养费 办理 乡镇 服务站 计划生育 流动人口 婚育 独生子女 光荣证 "
         "奖励扶助 病残儿 医学鉴定 户籍 身份证 户口簿 结婚证 申请 受理 审核 公示 发放 窗口 "
         "工作日 材料 条件 程序 时限 收费 标准 依据 条例 规定 办法 通知 公告 举报 投诉 热线 "
         "满意 评议 监督 纪律 群众 干部 政务公开 信息 县 镇 村 委员会 人口 家庭 夫妻 子女 "
         "技术服务 避孕 节育 B超 孕检 随访 档案 免费 减免 缓缴 征收 基数 倍数 年度 收入").split()
PUNCT = "，，，。；、"


def sentence(rng):
    n = rng.randint(4, 12)
    s = "".join(rng.choice(WORDS) for _ in range(n))
    if rng.random() < 0.1:
        s += str(rng.choice([12356, 2026, 30, 15, 60]))
    return s + rng.choice(PUNCT)


def paragraph(rng, chars):
    out = ""
    while len(out) < chars:
        out += sentence(rng)
    return out[:chars] + "。"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--docs", type=int, default=10000)
    ap.add_argument("--asset-mb", type=int, default=0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--seal-key", default="T98zG+cK1l44S7gtkjiIhRHOHegayG0FeP4HwArk8wc=")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(os.path.join(args.out, "docs"), exist_ok=True)
    cats = [("policy", "政策法规"), ("guides", "办事指南"), ("notices", "通知公告")]
    with open(os.path.join(args.out, "bundle.toml"), "w", encoding="utf-8") as f:
        f.write('title = "合成测试内容"\nscope = "demo-county"\nvalid_days = 3650\n'
                'min_kiosk_version = "0.1.0"\nseal_public_key = "%s"\n' % args.seal_key)
        for cid, name in cats:
            f.write('\n[[category]]\nid = "%s"\nname = "%s"\ndescription = "合成"\n' % (cid, name))
    with open(os.path.join(args.out, "report_categories.toml"), "w", encoding="utf-8") as f:
        f.write('[[category]]\nid = "other"\nname = "其他"\ndescription = "其他问题"\n')
    with open(os.path.join(args.out, "rating_targets.toml"), "w", encoding="utf-8") as f:
        f.write('[[township]]\nid = "t1"\nname = "一镇"\n\n[[township.office]]\nid = "o1"\n'
                'name = "一镇计生办"\nwindows = ["1号窗口"]\n')
    for i in range(args.docs):
        cid = cats[i % len(cats)][0]
        title = "".join(rng.choice(WORDS) for _ in range(rng.randint(3, 6)))[:20]
        body = "\n\n".join(paragraph(rng, rng.randint(100, 500))
                           for _ in range(rng.randint(2, 4)))
        month = 1 + i % 12
        day = 1 + i % 28
        with open(os.path.join(args.out, "docs", "d%05d.md" % i), "w", encoding="utf-8") as f:
            f.write('+++\nid = "d%05d"\nkind = "article"\ncategory = "%s"\ntitle = "%s"\n'
                    'summary = "%s"\nissuer = "合成测试"\nupdated = 2026-%02d-%02d\n+++\n\n%s\n'
                    % (i, cid, title, paragraph(rng, 30), month, day, body))
    if args.asset_mb:
        os.makedirs(os.path.join(args.out, "assets"), exist_ok=True)
        # Split into 4 MiB images: the builder refuses a single image above 8 MiB.
        left, n = args.asset_mb, 0
        while left > 0:
            mb = min(4, left)
            with open(os.path.join(args.out, "assets", "big-%03d.png" % n), "wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n" + rng.randbytes(mb * 1024 * 1024))
            left, n = left - mb, n + 1


if __name__ == "__main__":
    main()
