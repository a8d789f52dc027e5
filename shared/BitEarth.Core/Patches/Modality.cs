namespace BitEarth.Core.Patches;

/// <summary>Sentinel-1 (C-band SAR, VV+VH) or Sentinel-2 (MSI, 12 bands).</summary>
public enum Modality { S1, S2 }
