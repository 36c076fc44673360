"""Plain-text reports of model metrics for the command line."""


def format_metrics(metrics: dict, *, heading: str) -> str:
    if "macro_f1" not in metrics:
        return f"{heading}: {metrics.get('note', 'no metrics')}"
    lines = [f"{heading}: macro-F1 {metrics['macro_f1']:.3f}"]
    lines.append(f"  {'class':<8} {'precision':>9} {'recall':>7} {'F1':>6} {'support':>8}")
    for label, row in metrics["per_class"].items():
        lines.append(
            f"  {label:<8} {row['precision']:>9.3f} {row['recall']:>7.3f} "
            f"{row['f1']:>6.3f} {row['support']:>8}"
        )
    (nn, no), (on, oo) = metrics["confusion"]
    lines.append("  confusion (rows: true, columns: predicted)")
    lines.append(f"  {'':<8} {'news':>7} {'opinion':>8}")
    lines.append(f"  {'news':<8} {nn:>7} {no:>8}")
    lines.append(f"  {'opinion':<8} {on:>7} {oo:>8}")
    return "\n".join(lines)
