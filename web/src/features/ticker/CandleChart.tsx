import { useEffect, useRef } from "react";
import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from "lightweight-charts";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Skeleton } from "@/components/ui/skeleton";
import { EmptyState, ErrorState } from "@/components/state/States";
import { INTERVALS, useCandles } from "@/hooks/useCandles";
import { useDraft } from "@/hooks/useDraft";
import { useTheme } from "@/hooks/useTheme";
import type { Candle, CandleInterval } from "@/lib/types";

/** Colours the chart reads from the theme (the canvas cannot use CSS variables). */
function palette(dark: boolean) {
  return dark
    ? { text: "#a1a1aa", grid: "rgba(255,255,255,0.06)", up: "#22c55e", down: "#f05252", border: "rgba(255,255,255,0.12)" }
    : { text: "#52525b", grid: "rgba(0,0,0,0.06)", up: "#16a34a", down: "#dc2626", border: "rgba(0,0,0,0.12)" };
}

const seconds = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

/** The lightweight-charts canvas: candles above, volume below. Keeps TradingView's attribution logo. */
function ChartCanvas({ candles, dark }: { candles: Candle[]; dark: boolean }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const price = useRef<ISeriesApi<"Candlestick"> | null>(null);
  const volume = useRef<ISeriesApi<"Histogram"> | null>(null);
  const colours = palette(dark);

  useEffect(() => {
    const element = container.current;
    if (!element) return;
    const created = createChart(element, {
      autoSize: true,
      layout: {
        background: { type: ColorType.Solid, color: "transparent" },
        textColor: colours.text,
        attributionLogo: true,
      },
      grid: { vertLines: { color: colours.grid }, horzLines: { color: colours.grid } },
      rightPriceScale: { borderColor: colours.border },
      timeScale: { borderColor: colours.border, timeVisible: true, secondsVisible: false },
    });
    price.current = created.addSeries(CandlestickSeries, {
      upColor: colours.up,
      downColor: colours.down,
      borderVisible: false,
      wickUpColor: colours.up,
      wickDownColor: colours.down,
      priceFormat: { type: "price", precision: 0, minMove: 1 },
    });
    volume.current = created.addSeries(HistogramSeries, { priceFormat: { type: "volume" }, priceScaleId: "" });
    volume.current.priceScale().applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    price.current.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.25 } });
    chart.current = created;
    return () => {
      created.remove();
      chart.current = null;
      price.current = null;
      volume.current = null;
    };
    // The chart is created once; theme changes are applied below.
  }, []);

  useEffect(() => {
    chart.current?.applyOptions({
      layout: { textColor: colours.text },
      grid: { vertLines: { color: colours.grid }, horzLines: { color: colours.grid } },
      rightPriceScale: { borderColor: colours.border },
      timeScale: { borderColor: colours.border },
    });
    price.current?.applyOptions({ upColor: colours.up, downColor: colours.down, wickUpColor: colours.up, wickDownColor: colours.down });
  }, [colours.text, colours.grid, colours.border, colours.up, colours.down]);

  useEffect(() => {
    price.current?.setData(
      candles.map((c) => ({ time: seconds(c.time_ms), open: c.open, high: c.high, low: c.low, close: c.close })),
    );
    volume.current?.setData(
      candles.map((c) => ({
        time: seconds(c.time_ms),
        value: c.volume,
        color: c.close >= c.open ? `${colours.up}66` : `${colours.down}66`,
      })),
    );
  }, [candles, colours.up, colours.down]);

  return <div ref={container} className="h-[280px] w-full sm:h-[360px]" />;
}

/** The candle chart with volume and an interval selector. */
export function CandleChart({ symbol }: { symbol: string }) {
  const [interval, setChartInterval] = useDraft<CandleInterval>("chart-interval", "1m");
  const candles = useCandles(symbol, interval);
  const { theme } = useTheme();

  return (
    <Card>
      <CardHeader className="flex flex-row flex-wrap items-center justify-between gap-2 space-y-0 pb-2">
        <CardTitle>Chart</CardTitle>
        <div role="group" aria-label="Candle interval" className="flex flex-wrap gap-1">
          {INTERVALS.map((value) => (
            <Button
              key={value}
              size="sm"
              variant={value === interval ? "secondary" : "ghost"}
              aria-pressed={value === interval}
              onClick={() => setChartInterval(value)}
              className="h-7 px-2 font-mono"
            >
              {value}
            </Button>
          ))}
        </div>
      </CardHeader>
      <CardContent>
        {candles.isPending ? (
          <Skeleton className="h-[280px] w-full sm:h-[360px]" aria-label="Loading chart" />
        ) : candles.isError ? (
          <ErrorState error={candles.error} title="Could not load the chart" onRetry={() => void candles.refetch()} />
        ) : (
          <div className="relative">
            <ChartCanvas candles={candles.data} dark={theme === "dark"} />
            {candles.data.length === 0 ? (
              <div className="absolute inset-0 grid place-items-center">
                <EmptyState title="No trades in this range yet" className="rounded-md bg-background/80" />
              </div>
            ) : null}
          </div>
        )}
        <p className="mt-2 text-xs text-muted-foreground">
          Charts by{" "}
          <a className="underline underline-offset-2" href="https://www.tradingview.com/" target="_blank" rel="noreferrer">
            TradingView
          </a>{" "}
          Lightweight Charts™.
        </p>
      </CardContent>
    </Card>
  );
}
